import { formatJsonPointer, ReactorError } from '@openexp/errors';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/*
 * Characters PostgreSQL cannot store, refused once at the edge (issue 14, item 3) so that no route
 * hands them to SQL. Measured on PGlite and on PostgreSQL 15 through the `pg` driver (same results):
 * - U+0000 in a `text` parameter fails with "invalid byte sequence for encoding UTF8: 0x00", and in
 *   `jsonb` with "unsupported Unicode escape sequence": a 500 for what is the caller's mistake.
 * - A lone UTF-16 surrogate (U+D800–U+DFFF without its pair) in a `jsonb` value fails with "invalid
 *   input syntax for type json"; in a `text` parameter the driver's UTF-8 encoder silently turns it
 *   into U+FFFD, so the stored name differs from the one sent and a later EQ filter never finds it.
 * Both are refused wherever a request carries text: the JSON body (member names and values, at any
 * depth, with the JSON Pointer of the first offending member), path segments and query parameters
 * (names and values). A lone surrogate cannot arrive in a path or query: its UTF-8 form is not valid
 * UTF-8, so percent-decoding fails before this runs (path: 404 route-not-found; query: the escape
 * stays undecoded, `%ED%A0%80` as text); they are checked anyway, it costs nothing.
 */

/** U+0000, or a surrogate code unit not part of a pair (no `u` flag: the pattern reads code units). */
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what this pattern is for.
const REFUSED = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const REFUSED_ALL = new RegExp(REFUSED.source, 'g');

/** Whether `text` holds a character PostgreSQL cannot store (see the module comment). */
export function hasRefusedCharacter(text: string): boolean {
  return REFUSED.test(text);
}

/** `text` with each refused character replaced by U+FFFD, for echoing a name back in an error. */
export function printable(text: string): string {
  return text.replace(REFUSED_ALL, '\ufffd');
}

function describe(text: string): string {
  return text.includes('\u0000') ? 'U+0000 (NUL)' : 'a lone UTF-16 surrogate';
}

/**
 * The JSON Pointer of the first string in `value` (a parsed JSON document) that holds a refused
 * character, as a member name or a value, depth first in document order; undefined when clean.
 * A member name at fault points at that member.
 */
export function refusedCharacterPointer(value: unknown, at = ''): { pointer: string; text: string } | undefined {
  if (typeof value === 'string') {
    return hasRefusedCharacter(value) ? { pointer: at, text: value } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = refusedCharacterPointer(value[i], `${at}/${i}`);
      if (found !== undefined) {
        return found;
      }
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, member] of Object.entries(value)) {
      const pointer = `${at}${formatJsonPointer([key])}`;
      if (hasRefusedCharacter(key)) {
        return { pointer, text: key };
      }
      const found = refusedCharacterPointer(member, pointer);
      if (found !== undefined) {
        return found;
      }
    }
  }
  return undefined;
}

/** 422 `validation-error` at the first offending member of a parsed JSON body, if any. */
export function assertStorableDocument(body: unknown): void {
  const found = refusedCharacterPointer(body);
  if (found !== undefined) {
    throw new ReactorError('validation-error', `The request document holds ${describe(found.text)}, which cannot be stored; remove it.`, {
      pointer: found.pointer,
    });
  }
}

function values(raw: unknown): string[] {
  if (typeof raw === 'string') {
    return [raw];
  }
  return Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [];
}

/** 400 `invalid-parameter` for the first path segment or query parameter holding a refused character. */
export function assertStorableRequestText(request: Pick<FastifyRequest, 'params' | 'query'>): void {
  const params = typeof request.params === 'object' && request.params !== null ? (request.params as Record<string, unknown>) : {};
  for (const [name, raw] of Object.entries(params)) {
    const bad = values(raw).find(hasRefusedCharacter);
    if (bad !== undefined) {
      throw new ReactorError('invalid-parameter', `The path segment ${printable(name)} holds ${describe(bad)}; no resource can match it.`, {
        meta: { path_parameter: printable(name) },
      });
    }
  }
  const query = typeof request.query === 'object' && request.query !== null ? (request.query as Record<string, unknown>) : {};
  for (const [name, raw] of Object.entries(query)) {
    const bad = [name, ...values(raw)].find(hasRefusedCharacter);
    if (bad !== undefined) {
      // `source.parameter` names a parameter; a nameless one (`?=x`) is described in the detail only.
      throw new ReactorError('invalid-parameter', `The query parameter "${printable(name)}" holds ${describe(bad)}, which cannot be used.`, {
        ...(name === '' ? {} : { parameter: printable(name) }),
      });
    }
  }
}

/**
 * Registers the checks on every route: after the body is parsed and before any guard or handler,
 * so the auth guard, services and SQL only ever see storable text. Errors go through Nest's
 * exception filter like any other (Nest installs Fastify's error handler).
 */
export function registerInputHygiene(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    try {
      assertStorableRequestText(request);
      assertStorableDocument(request.body);
      done();
    } catch (error) {
      done(error as Error);
    }
  });
}
