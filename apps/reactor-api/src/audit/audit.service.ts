import { Inject, Injectable } from '@nestjs/common';
import { newId } from '../common/ids';
import type { Db } from '../database/database';
import { LINKS } from '../jsonapi/links.provider';
import type { Links, ResourceObject } from '../jsonapi/document';
import type { AuditAction, AuditedEntity } from './audit-events';
import { AuditRepository } from './audit.repository';

export type { AuditAction, AuditedEntity } from './audit-events';

/** Presents one entity type as a JSON:API resource object for the audit trail. */
export type AuditPresenter = (view: never, links: Links) => ResourceObject;

/** What {@link AuditService.record} is told about a change. */
export interface AuditChange<V> {
  companyId: string;
  propertyId: string | null;
  entityType: string;
  singular: AuditedEntity;
  action: AuditAction;
  view: V;
}

/** An event just written, as the listeners hear of it. */
export interface RecordedAuditEvent {
  auditEventId: string;
  propertyId: string | null;
  /** `{entity}.{action}`, e.g. `rule.created`. */
  typeOf: string;
}

/**
 * Hears of every recorded event inside the transaction that wrote it (`db`), so what it writes
 * commits or rolls back with the change (callbacks' outbox registers one).
 */
export type AuditListener = (db: Db, event: RecordedAuditEvent) => Promise<void>;

/**
 * The audit trail (§2.11): one event per change, with the entity's document as a string. Contexts
 * above it register how their entities look (`register`) and who hears of events (`listen`): audit
 * imports none of them.
 */
@Injectable()
export class AuditService {
  private readonly presenters = new Map<string, (view: unknown, links: Links) => ResourceObject>();
  private readonly listeners: AuditListener[] = [];

  constructor(
    @Inject(LINKS) private readonly links: Links,
    private readonly events: AuditRepository,
  ) {}

  /** Each context registers how its entities look in `attributes.entity`. */
  register<V>(entityType: string, present: (view: V, links: Links) => ResourceObject): void {
    this.presenters.set(entityType, present as (view: unknown, links: Links) => ResourceObject);
  }

  /** `listener` hears of every event recorded from now on, in the recording transaction. */
  listen(listener: AuditListener): void {
    this.listeners.push(listener);
  }

  /** Writes the event with `db` (the change's transaction) and tells the listeners, in the same transaction. */
  async record<V>(db: Db, event: AuditChange<V>): Promise<void> {
    const present = this.presenters.get(event.entityType);
    const entity = present === undefined ? { data: null } : { data: present(event.view, this.links) };
    const id = entity.data?.id ?? 'unknown';
    const now = new Date();
    const eventId = newId('audit_events');
    const typeOf = `${event.singular}.${event.action}`;
    await this.events.insert(db, {
      id: eventId,
      company_id: event.companyId,
      property_id: event.propertyId,
      type_of: typeOf,
      entity_type: event.entityType,
      entity_id: id,
      entity: JSON.stringify(entity),
      display_name: typeof entity.data?.attributes['name'] === 'string' ? entity.data.attributes['name'] : id,
      created_at: now,
      updated_at: now,
    });
    // In the same transaction: callbacks hear about committed changes only, and about every one of them.
    for (const listener of this.listeners) {
      await listener(db, { auditEventId: eventId, propertyId: event.propertyId, typeOf });
    }
  }
}
