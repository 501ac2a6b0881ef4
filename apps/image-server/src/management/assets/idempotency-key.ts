import { ReactorError } from '@openexp/errors';

/** The `Idempotency-Key` header: 1-255 visible ASCII characters, or absent. */
export function idempotencyKey(header: unknown): string | undefined {
  if (header === undefined) {
    return undefined;
  }
  if (typeof header !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(header)) {
    throw new ReactorError('validation-error', 'The Idempotency-Key header must be 1 to 255 visible ASCII characters, given once.', { meta: { header: 'Idempotency-Key' } });
  }
  return header;
}
