import { Inject, Injectable } from '@nestjs/common';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { newId } from '../common/ids';
import type { Database, ExtensionPackageRow, NewRevisioned } from '../database/schema';
import { ExtensionPackagesRepository } from '../extension-packages/extension-packages.repository';
import { CoreExtensionRepository } from './core-extension.repository';

/** Platforms whose new properties get a seeded `core`: web (ours) and edge (Adobe's core-edge). Mobile gets none: nothing here builds mobile libraries. */
const CORE_PLATFORMS: ReadonlySet<string> = new Set(['web', 'edge']);

/** True when a new property of the platform comes with `core` installed. */
export function hasCore(platform: string): boolean {
  return CORE_PLATFORMS.has(platform);
}

/** Installs the seeded `core` extension of the property's platform into a new web or edge property (§2.2). */
@Injectable()
export class CoreInstaller {
  constructor(
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly packages: ExtensionPackagesRepository,
    private readonly extensions: CoreExtensionRepository,
  ) {}

  async install(tx: Kysely<Database>, companyId: string, propertyId: string, platform: string): Promise<void> {
    const core = await this.packages.latestCore(tx, platform);
    if (core === undefined) {
      this.logger.warn({ propertyId, companyId, platform }, 'no seeded core extension package for the platform: property created without core');
      return;
    }
    await this.extensions.insertHead(tx, coreHead(core, propertyId, new Date()));
  }
}

/** A new, enabled head of `core` (revision 0) on the package's version. */
function coreHead(core: ExtensionPackageRow, propertyId: string, now: Date): NewRevisioned {
  const id = newId('extensions');
  return {
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
  };
}
