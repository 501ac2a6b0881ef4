import { Inject, Injectable } from '@nestjs/common';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { newId } from '../common/ids';
import type { Database } from '../database/schema';

/** Installs the seeded `core` extension into a new web property (§2.2). */
@Injectable()
export class CoreInstaller {
  constructor(@Inject(ROOT_LOGGER) private readonly logger: Logger) {}

  async install(tx: Kysely<Database>, companyId: string, propertyId: string): Promise<void> {
    const core = await tx
      .selectFrom('extension_packages')
      .selectAll()
      .where('name', '=', 'core')
      .where('trusted', '=', true)
      .where('status', '=', 'succeeded')
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (core === undefined) {
      this.logger.warn({ propertyId, companyId }, 'no seeded core extension package: property created without core');
      return;
    }
    const id = newId('extensions');
    const now = new Date();
    await tx
      .insertInto('revisioned')
      .values({
        id,
        type: 'extensions',
        property_id: propertyId,
        origin_id: id,
        revision_number: 0,
        latest_revision_number: 0,
        name: core.name ?? 'core',
        enabled: true,
        dirty: false,
        published: false,
        published_at: null,
        deleted_at: null,
        review_status: 'unsubmitted',
        settings: null,
        delegate_descriptor_id: null,
        extension_package_id: core.id,
        display_name: core.display_name,
        version: core.version,
        extension_id: null,
        default_value: null,
        force_lower_case: null,
        clean_text: null,
        storage_duration: null,
        rule_id: null,
        order: null,
        rule_order: null,
        negate: null,
        timeout: null,
        delay_next: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
}
