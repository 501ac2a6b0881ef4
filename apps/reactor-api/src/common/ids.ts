import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** Two-letter id prefixes of §1.4. */
export const ID_PREFIX = {
  companies: 'CO',
  properties: 'PR',
  hosts: 'HT',
  environments: 'EN',
  libraries: 'LB',
  builds: 'BL',
  extensions: 'EX',
  extension_packages: 'EP',
  extension_package_usage_authorizations: 'EA',
  data_elements: 'DE',
  rules: 'RL',
  rule_components: 'RC',
  callbacks: 'CB',
  secrets: 'SE',
  audit_events: 'AE',
  notes: 'NT',
  users: 'UR',
  api_tokens: 'AT',
} as const;

export type IdPrefixed = keyof typeof ID_PREFIX;

/** `XX` + 32 lowercase hex (a UUID without dashes). */
export function newId(type: IdPrefixed): string {
  return `${ID_PREFIX[type]}${randomUUID().replace(/-/g, '')}`;
}

/** 12 lowercase hex characters, used in hosted paths and file names. */
export function newToken(): string {
  return randomBytes(6).toString('hex');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** True if `id` has the shape of an id of `type` (used to answer 404 without a query). */
export function looksLikeId(type: IdPrefixed, id: string): boolean {
  return new RegExp(`^${ID_PREFIX[type]}[0-9a-f]{32}$`).test(id);
}
