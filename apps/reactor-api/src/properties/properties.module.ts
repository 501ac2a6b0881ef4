import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ScopeModule } from '../common/scope.module';
import { ExtensionsModule } from '../extensions/extensions.module';
import { PropertiesController } from './properties.controller';
import { PropertiesRepository } from './properties.repository';
import { PropertiesService } from './properties.service';

/** Properties (§2.2). The contexts above look a property up through `PropertiesService` for their routes. */
@Module({
  imports: [ScopeModule, AuditModule, ExtensionsModule],
  controllers: [PropertiesController],
  providers: [PropertiesRepository, PropertiesService],
  exports: [PropertiesService],
})
export class PropertiesModule {}
