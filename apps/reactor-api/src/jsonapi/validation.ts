import { ReactorError, ReactorErrors } from '@openexp/errors';
import { z } from 'zod';

/**
 * An attribute stored in a PostgreSQL `integer` column. zod's `.int()` alone accepts every safe
 * integer (±2^53), and a value past 2^31 then failed in SQL ("out of range for type integer": a 500).
 */
export function pgInteger(): z.ZodNumber {
  return z.number().int().min(-2_147_483_648).max(2_147_483_647);
}

/**
 * Validates `value` with a zod schema; every issue becomes one `validation-error` whose pointer is
 * `${base}/${path}` (e.g. `/data/attributes/domains`).
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, base: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) {
    return result.data;
  }
  const errors = result.error.issues.map((issue) => {
    const path = issue.path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1'));
    const field = issue.path.join('.') || 'body';
    const pointer = [base, ...path].join('/');
    const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    return new ReactorError('validation-error', `${field} ${message}.`.replace(/\.\.$/, '.'), { pointer });
  });
  ReactorErrors.throwIfAny(errors);
  throw new Error('unreachable: zod reported failure without issues');
}
