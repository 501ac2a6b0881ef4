import { Module } from '@nestjs/common';
import { ScopeModule } from '../common/scope.module';
import { AuditController } from './audit.controller';
import { AuditQueries } from './audit.queries';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/**
 * The audit trail (§2.11). Contexts above record their changes through `AuditService` and register
 * how their entities look; callbacks read stored events (`AuditRepository`) to deliver them.
 */
@Module({
  imports: [ScopeModule],
  controllers: [AuditController],
  providers: [AuditRepository, AuditService, AuditQueries],
  exports: [AuditService, AuditRepository],
})
export class AuditModule {}
