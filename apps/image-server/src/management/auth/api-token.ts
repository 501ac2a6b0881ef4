import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * Management API tokens: `isk_<id>_<secret>`, the secret 32 random bytes (base64url). Only the
 * sha256 of the secret is stored, under the id; a presented token is looked up by its id and its
 * secret's hash compared in constant time, so neither the store nor the comparison reveals it.
 */

/** What the store keeps about a token. */
export interface StoredApiToken {
  id: string;
  /** sha256 of the secret, hex. */
  secretSha256: string;
  name: string;
  /** Catalog RootIds the token may use; `['*']` = every catalog. */
  catalogs: string[];
  createdAt: string;
}

/** A caller who presented a valid token. */
export interface ApiCaller {
  tokenId: string;
  name: string;
  catalogs: readonly string[];
}

const TOKEN = /^isk_([A-Za-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** A new token and what to store for it. */
export function newApiToken(name: string, catalogs: string[], now = new Date()): { token: string; stored: StoredApiToken } {
  const id = randomBytes(12).toString('base64url').replace(/[-_]/g, '0').slice(0, 16);
  const secret = randomBytes(32).toString('base64url');
  return { token: `isk_${id}_${secret}`, stored: { id, secretSha256: sha256Hex(secret), name, catalogs, createdAt: now.toISOString() } };
}

/** The id and secret of a presented token, or `undefined` when it is not shaped like one. */
export function parseApiToken(token: string): { id: string; secret: string } | undefined {
  const match = TOKEN.exec(token);
  return match?.[1] === undefined || match[2] === undefined ? undefined : { id: match[1], secret: match[2] };
}

/** True when `secret` is the one `stored` was made from (constant-time comparison of the hashes). */
export function secretMatches(secret: string, stored: StoredApiToken): boolean {
  const presented = Buffer.from(sha256Hex(secret), 'hex');
  const expected = Buffer.from(stored.secretSha256, 'hex');
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/** True when the caller may work on `catalog`. */
export function mayUseCatalog(caller: ApiCaller, catalog: string): boolean {
  return caller.catalogs.includes('*') || caller.catalogs.includes(catalog);
}
