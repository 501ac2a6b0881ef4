import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ScopeModule } from '../common/scope.module';
import { PropertiesModule } from '../properties/properties.module';
import { CallbackDeliveriesRepository } from './callback-deliveries.repository';
import { CallbackDeliveryWorker } from './callback-delivery.worker';
import { CallbackDispatcher } from './callback-dispatcher';
import { CallbackOutbox } from './callback-outbox';
import { CallbackSender } from './callback-sender';
import { CallbacksController } from './callbacks.controller';
import { CallbacksRepository } from './callbacks.repository';
import { CallbacksService } from './callbacks.service';

/**
 * Callbacks (§2.11): subscriptions, the outbox filled by listening to the audit trail
 * (`AuditService.listen`), its dispatcher and the delivery worker. Nothing else uses it.
 */
@Module({
  imports: [ScopeModule, AuditModule, PropertiesModule],
  controllers: [CallbacksController],
  providers: [CallbacksRepository, CallbacksService, CallbackDeliveriesRepository, CallbackOutbox, CallbackDispatcher, CallbackSender, CallbackDeliveryWorker],
})
export class CallbacksModule {}
