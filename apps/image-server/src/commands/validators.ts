import { ImageServingError } from '@openexp/errors';

/** A usage error naming the command and the value (image-serving.md §3.2, "Argument checking"). */
export function invalidValue(command: string, value: string, why: string): ImageServingError {
  return new ImageServingError('IMG_INVALID_COMMAND_VALUE', `${command}=${value}: ${why}`, { command, value });
}

const INT = /^[-+]?\d+$/;
const REAL = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** Bounds of a numeric argument, both inclusive unless `exclusiveMin`. */
export interface NumberBounds {
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
}

function checkBounds(n: number, b: NumberBounds): boolean {
  if (b.min !== undefined && (b.exclusiveMin ? n <= b.min : n < b.min)) {
    return false;
  }
  return b.max === undefined || n <= b.max;
}

function describe(b: NumberBounds): string {
  const low = b.min === undefined ? '' : b.exclusiveMin ? ` > ${b.min}` : ` >= ${b.min}`;
  const high = b.max === undefined ? '' : ` <= ${b.max}`;
  return `${low}${low && high ? ' and' : ''}${high}`;
}

/** Parses one integer argument within bounds. */
export function intArg(command: string, value: string, raw: string, bounds: NumberBounds = {}): number {
  const n = INT.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || !checkBounds(n, bounds)) {
    throw invalidValue(command, value, `expected an integer${describe(bounds)}, got '${raw}'`);
  }
  return n;
}

/** Parses one real argument within bounds. */
export function realArg(command: string, value: string, raw: string, bounds: NumberBounds = {}): number {
  const n = REAL.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(n) || !checkBounds(n, bounds)) {
    throw invalidValue(command, value, `expected a number${describe(bounds)}, got '${raw}'`);
  }
  return n;
}

/** A `0`/`1` flag. */
export function flagArg(command: string, value: string, raw: string): boolean {
  if (raw !== '0' && raw !== '1') {
    throw invalidValue(command, value, `expected 0 or 1, got '${raw}'`);
  }
  return raw === '1';
}

/** One keyword out of a list, case-insensitive. */
export function enumArg<T extends string>(command: string, value: string, raw: string, allowed: readonly T[]): T {
  const lower = raw.toLowerCase();
  const hit = allowed.find((a) => a === lower);
  if (hit === undefined) {
    throw invalidValue(command, value, `expected one of ${allowed.join('|')}, got '${raw}'`);
  }
  return hit;
}

/** Splits a comma list and checks its length. */
export function commaArgs(command: string, value: string, min: number, max: number): string[] {
  const parts = value.split(',');
  if (parts.length < min || parts.length > max) {
    const count = min === max ? `${min}` : `${min} to ${max}`;
    throw invalidValue(command, value, `expected ${count} comma-separated values`);
  }
  return parts;
}
