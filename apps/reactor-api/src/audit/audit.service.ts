import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { CallbackOutbox } from '../callbacks/callback-outbox';
import { newId } from '../common/ids';
import type { Database } from '../database/schema';
import { LINKS } from '../jsonapi/links.provider';
import type { Links, ResourceObject } from '../jsonapi/document';
import type { AuditAction, AuditedEntity } from './audit-events';

export type { AuditAction, AuditedEntity } from './audit-events';

/** Presents one entity type as a JSON:API resource object for the audit trail. */
export type AuditPresenter = (view: never, links: Links) => ResourceObject;

/** The audit trail (§2.11): one event per change, with the entity's document as a string, and its callback deliveries. */
@Injectable()
export class AuditService {
  private readonly presenters = new Map<string, (view: unknown, links: Links) => ResourceObject>();

  constructor(
    @Inject(LINKS) private readonly links: Links,
    private readonly outbox: CallbackOutbox,
  ) {}

  /** Each context registers how its entities look in `attributes.entity`. */
  register<V>(entityType: string, present: (view: V, links: Links) => ResourceObject): void {
    this.presenters.set(entityType, present as (view: unknown, links: Links) => ResourceObject);
  }

  async record<V>(
    db: Kysely<Database>,
    event: { companyId: string; propertyId: string | null; entityType: string; singular: AuditedEntity; action: AuditAction; view: V },
  ): Promise<void> {
    const present = this.presenters.get(event.entityType);
    const entity = present === undefined ? { data: null } : { data: present(event.view, this.links) };
    const id = entity.data?.id ?? 'unknown';
    const now = new Date();
    const eventId = newId('audit_events');
    const typeOf = `${event.singular}.${event.action}`;
    await db
      .insertInto('audit_events')
      .values({
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
      })
      .execute();
    // In the same transaction: callbacks hear about committed changes only, and about every one of them.
    await this.outbox.capture(db, { auditEventId: eventId, propertyId: event.propertyId, typeOf });
  }
}
