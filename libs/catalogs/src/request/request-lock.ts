import { ImageServingError } from '@openexp/errors';

/**
 * The request-lock hash of §7: `sum = (sum * 131 + byte) & 0xFFFF` over the UTF-8 bytes of the
 * (%-encoded, not obfuscated) modifiers string, as 4 lower-case hex digits. `wid=200` → `4a1f`.
 */
export function requestLockHash(modifiers: string): string {
  let sum = 0;
  for (const byte of Buffer.from(modifiers, 'utf8')) {
    sum = (sum * 131 + byte) & 0xffff;
  }
  return sum.toString(16).padStart(4, '0');
}

/** Appends the lock suffix: `wid=200` → `wid=200&4a1f` (for clients and tests). */
export function lockModifiers(modifiers: string): string {
  return `${modifiers}&${requestLockHash(modifiers)}`;
}

/**
 * Verifies and strips the trailing `&xxxx` lock of a `RequestLock=1` catalog (§7). The hex is
 * compared case-insensitively. A query that is only `xxxx` locks the empty modifiers string.
 * @throws ImageServingError `IMG_REQUEST_LOCKED` when the lock is missing or wrong.
 */
export function stripRequestLock(query: string): string {
  let body: string;
  let lock: string;
  if (/^[0-9a-fA-F]{4}$/.test(query)) {
    body = '';
    lock = query;
  } else if (query.length >= 5 && query[query.length - 5] === '&' && /^[0-9a-fA-F]{4}$/.test(query.slice(-4))) {
    body = query.slice(0, -5);
    lock = query.slice(-4);
  } else {
    throw new ImageServingError('IMG_REQUEST_LOCKED', 'the request lock suffix (&xxxx) is missing');
  }
  if (lock.toLowerCase() !== requestLockHash(body)) {
    throw new ImageServingError('IMG_REQUEST_LOCKED', 'the request lock does not match the modifiers', { value: lock });
  }
  return body;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes the modifiers of a `RequestObfuscation=1` catalog (§7): the whole query is standard
 * base64 (it may itself be %-encoded, e.g. `%3D` padding). Missing padding is accepted.
 * @throws ImageServingError `IMG_OBFUSCATION_FAILED` when it is not valid base64 or not UTF-8 text.
 */
export function deobfuscateModifiers(query: string): string {
  let text = query;
  try {
    text = decodeURIComponent(query);
  } catch {
    throw new ImageServingError('IMG_OBFUSCATION_FAILED', 'the obfuscated query is not valid base64');
  }
  if (!BASE64.test(text) || text.replace(/=+$/, '').length % 4 === 1 || (text.includes('=') && text.length % 4 !== 0)) {
    throw new ImageServingError('IMG_OBFUSCATION_FAILED', 'the obfuscated query is not valid base64');
  }
  const bytes = Buffer.from(text, 'base64');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImageServingError('IMG_OBFUSCATION_FAILED', 'the obfuscated query does not decode to text');
  }
}

/** Obfuscates modifiers (for clients and tests): `wid=200&4a1f` → `d2lkPTIwMCY0YTFm`. */
export function obfuscateModifiers(modifiers: string): string {
  return Buffer.from(modifiers, 'utf8').toString('base64');
}
