import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ScopeModule } from '../common/scope.module';
import { PropertiesModule } from '../properties/properties.module';
import { HostsController } from './hosts.controller';
import { HostsRepository } from './hosts.repository';
import { HostsService } from './hosts.service';

/**
 * Hosts (§2.3) and their pretests. Environments present a host (`HostsService`); builds and results
 * read and update host rows through `HostsRepository` (pretest results, the host a build deploys to).
 */
@Module({
  imports: [ScopeModule, AuditModule, PropertiesModule],
  controllers: [HostsController],
  providers: [HostsRepository, HostsService],
  exports: [HostsService, HostsRepository],
})
export class HostsModule {}
