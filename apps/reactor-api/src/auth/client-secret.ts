import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/*
 * Client secrets of the IMS-shaped token endpoint are stored as salted scrypt hashes, never in
 * clear. Unlike API tokens (long random values looked up by their sha256), a secret is checked
 * against one known row (found by its client_id), so a slow, salted hash costs one derivation per
 * token request and makes a stolen table useless for guessing. Parameters: N=2^14, r=8, p=1 (about
 * 20-50 ms and 16 MiB per check), kept in the stored string so they can be raised later without
 * breaking existing credentials.
 */

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const STORED = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

function derive(secret: string, salt: Buffer, options: ScryptOptions, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, length, options, (error, key) => (error === null ? resolve(key) : reject(error)));
  });
}

/** A new random client secret (32 bytes, base64url) as shown once by the CLI. */
export function newClientSecret(): string {
  return `p8e-${randomBytes(32).toString('base64url')}`;
}

/** `scrypt$N$r$p$<salt>$<hash>` of `secret` with a fresh 16-byte salt. */
export async function hashClientSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, { N, r: R, p: P }, KEY_LENGTH);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Whether `secret` matches `stored` (constant-time compare of the derived keys); false for a malformed stored value. */
export async function verifyClientSecret(secret: string, stored: string): Promise<boolean> {
  const parts = STORED.exec(stored);
  if (parts === null) {
    return false;
  }
  const [, n, r, p, salt, hash] = parts;
  const expected = Buffer.from(hash ?? '', 'base64url');
  if (expected.length === 0) {
    return false;
  }
  const key = await derive(secret, Buffer.from(salt ?? '', 'base64url'), { N: Number(n), r: Number(r), p: Number(p) }, expected.length);
  return timingSafeEqual(key, expected);
}
