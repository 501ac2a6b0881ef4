import type { ExtensionManifest } from '@openexp/queue-contracts';
import type { ExtensionPackageRow } from '../database/schema';
import { iso, type Links, type ResourceObject } from '../jsonapi/document';

const KINDS = { events: 'events', conditions: 'conditions', actions: 'actions', dataElements: 'data_elements' } as const;

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(snakeKeys);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [snake(k), k === 'schema' ? v : snakeKeys(v)]));
  }
  return value;
}

/** Manifest fields as snake_case attributes; each delegate gets its descriptor id `{pkg}::{kind}::{name}`. */
function manifestAttributes(manifest: ExtensionManifest | null): Record<string, unknown> {
  if (manifest === null) {
    return {};
  }
  const out: Record<string, unknown> = {
    author: manifest.author ?? null,
    icon_path: manifest.iconPath ?? null,
    view_base_path: manifest.viewBasePath ?? null,
    main: manifest.main ?? null,
    exchange_url: manifest.exchangeUrl ?? null,
    hosted_lib_files: manifest.hostedLibFiles ?? [],
    shared_modules: snakeKeys(manifest.sharedModules ?? []),
    configuration:
      manifest.configuration === undefined ? null : { id: `${manifest.name}::extensionConfiguration::config`, ...(snakeKeys(manifest.configuration) as object) },
  };
  for (const [kind, attribute] of Object.entries(KINDS)) {
    const delegates = manifest[kind as keyof typeof KINDS] ?? [];
    out[attribute] = delegates.map((d) => ({ id: `${manifest.name}::${kind}::${d.name}`, ...(snakeKeys(d) as object) }));
  }
  return out;
}

export function presentExtensionPackage(row: ExtensionPackageRow, links: Links): ResourceObject {
  return {
    id: row.id,
    type: 'extension_packages',
    attributes: {
      name: row.name,
      display_name: row.display_name,
      description: row.description,
      version: row.version,
      platform: row.platform,
      status: row.status,
      availability: row.availability,
      discontinued: row.discontinued,
      owner_org_id: row.owner_org_id,
      // Where its files (views, icons …) are served once processed (PackageAssetsController).
      cdn_path: row.status === 'succeeded' && row.files_prefix !== null ? `${links.base}/extensions/${row.id}` : null,
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
      ...manifestAttributes(row.manifest as ExtensionManifest | null),
    },
    relationships: {},
    links: { self: links.self('extension_packages', row.id) },
    meta: { status_details: row.status === 'failed' ? row.status_details : null },
  };
}
