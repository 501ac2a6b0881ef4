import { percentDecode } from './percent-decoding';
import { refusedError, usageError } from './request-errors';

/**
 * Decodes the raw path elements after `/is/image/` (§1.2): each element is %-decoded on its own,
 * so `%2F` cannot split. Empty elements are dropped. Refuses (`IMG_REQUEST_REFUSED`) any element
 * that could leave the roots: `.`/`..`, a `/` or `\` produced by decoding, NUL or another control
 * character. An invalid `%` escape or a comma (not allowed in object names, §1.2) is a usage error.
 */
export function decodePathSegments(raw: readonly string[]): string[] {
  const out: string[] = [];
  for (const element of raw.flatMap((s) => s.split('/'))) {
    if (element === '') {
      continue;
    }
    const decoded = percentDecode(element, 'strict');
    if (decoded === null) {
      throw usageError(`invalid %-escape in path element ${JSON.stringify(element)}`, { command: 'object', value: element });
    }
    assertSafeSegment(decoded);
    out.push(decoded);
  }
  return out;
}

/**
 * Splits an object reference from a command value (`src=`, `mask=`, `defaultImage=`, already
 * decoded) into checked elements. A leading `/` is reported separately: it forces the default
 * catalog (§1.5).
 */
export function splitObjectReference(ref: string): { readonly leadingSlash: boolean; readonly segments: string[] } {
  const leadingSlash = ref.startsWith('/');
  const segments = ref.split('/').filter((s) => s !== '');
  for (const s of segments) {
    assertSafeSegment(s);
  }
  return { leadingSlash, segments };
}

/** Refuses one decoded object path element that could escape the roots (see {@link decodePathSegments}). */
export function assertSafeSegment(segment: string): void {
  if (segment === '.' || segment === '..') {
    throw refusedError(`path element ${JSON.stringify(segment)} is not allowed`);
  }
  if (segment.includes('/') || segment.includes('\\')) {
    throw refusedError(`path element ${JSON.stringify(segment)} contains a path separator`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(segment)) {
    throw refusedError('path element contains NUL or a control character');
  }
  if (segment.includes(',')) {
    throw usageError(`object names may not contain commas: ${JSON.stringify(segment)}`, { command: 'object', value: segment });
  }
}
