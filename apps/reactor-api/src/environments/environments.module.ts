import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ScopeModule } from '../common/scope.module';
import { HostsModule } from '../hosts/hosts.module';
import { KeysModule } from '../keys/keys.module';
import { PropertiesModule } from '../properties/properties.module';
import { EnvironmentEvents } from './environment-events';
import { EnvironmentsController } from './environments.controller';
import { EnvironmentsRepository } from './environments.repository';
import { EnvironmentsService } from './environments.service';

/**
 * Environments (§2.4). Libraries register with `EnvironmentEvents` (a deleted environment, the
 * library assigned to one); builds, libraries and secrets read environments through the service
 * and the repository.
 */
@Module({
  imports: [ScopeModule, AuditModule, PropertiesModule, HostsModule, KeysModule],
  controllers: [EnvironmentsController],
  providers: [EnvironmentsRepository, EnvironmentsService, EnvironmentEvents],
  exports: [EnvironmentsService, EnvironmentsRepository, EnvironmentEvents],
})
export class EnvironmentsModule {}
