import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AuditService, type RecordedAuditEvent } from '../audit/audit.service';
import type { Db } from '../database/database';
import { CallbackDeliveriesRepository } from './callback-deliveries.repository';
import { CallbackDispatcher } from './callback-dispatcher';

/**
 * Records, inside the caller's transaction, one delivery per callback of the property subscribed to
 * the event's type: a rolled-back change is never announced, a committed one never lost (the
 * dispatcher queues committed rows). The row id `{audit event}-{callback}` is also the job id.
 * It listens to the audit trail (audit does not import callbacks).
 */
@Injectable()
export class CallbackOutbox implements OnModuleInit {
  constructor(
    private readonly audit: AuditService,
    private readonly deliveries: CallbackDeliveriesRepository,
    private readonly dispatcher: CallbackDispatcher,
  ) {}

  onModuleInit(): void {
    this.audit.listen((db, event) => this.capture(db, event));
  }

  async capture(db: Db, event: RecordedAuditEvent): Promise<void> {
    if (event.propertyId === null) {
      return;
    }
    const written = await this.deliveries.insertForSubscribers(db, { auditEventId: event.auditEventId, propertyId: event.propertyId, typeOf: event.typeOf });
    if (written > 0) {
      this.dispatcher.nudge();
    }
  }
}
