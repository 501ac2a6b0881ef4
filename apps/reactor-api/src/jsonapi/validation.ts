import { ReactorError, ReactorErrors } from '@openexp/errors';
import type { z } from 'zod';

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
