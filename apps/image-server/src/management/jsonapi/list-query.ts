import { ReactorError } from '@openexp/errors';
import type { PageRequest } from './api-document';

const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 100;

/** A query string as Fastify parses it (`page[number]` arrives as a flat key). */
export type RawQuery = Record<string, unknown>;

/**
 * `page[number]` (default 1) and `page[size]` (default 25, at most 100); anything else there is a
 * 400 `invalid-parameter` naming the parameter.
 */
export function pageRequest(query: RawQuery): PageRequest {
  return {
    number: positiveInt(query, 'page[number]', 1, Number.MAX_SAFE_INTEGER),
    size: positiveInt(query, 'page[size]', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
  };
}

/** `filter[name]` as one string, `undefined` when absent; repeated or empty values are refused. */
export function filterValue(query: RawQuery, name: string): string | undefined {
  const parameter = `filter[${name}]`;
  const value = Object.hasOwn(query, parameter) ? query[parameter] : undefined;
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string' || value === '') {
    throw new ReactorError('invalid-parameter', `${parameter} must be given once, with a non-empty value.`, { parameter });
  }
  return value;
}

/** `filter[name]` that must be one of `allowed`. */
export function filterChoice<const T extends string>(query: RawQuery, name: string, allowed: readonly T[]): T | undefined {
  const value = filterValue(query, name);
  if (value !== undefined && !(allowed as readonly string[]).includes(value)) {
    throw new ReactorError('invalid-parameter', `filter[${name}] must be one of ${allowed.join(', ')}.`, { parameter: `filter[${name}]` });
  }
  return value as T | undefined;
}

function positiveInt(query: RawQuery, parameter: string, fallback: number, max: number): number {
  const raw = Object.hasOwn(query, parameter) ? query[parameter] : undefined;
  if (raw === undefined) {
    return fallback;
  }
  const n = typeof raw === 'string' && /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) {
    throw new ReactorError('invalid-parameter', `${parameter} must be an integer from 1 to ${max}.`, { parameter });
  }
  return n;
}
