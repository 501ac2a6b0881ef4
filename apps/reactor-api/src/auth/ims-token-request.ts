import type { FastifyRequest } from 'fastify';
import { OAuth2Error } from './oauth2-error';

/** A token request's parameters, wherever they came from (query string, form or JSON body, HTTP Basic). */
export interface TokenRequest {
  grantType: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  scope: string | undefined;
  /** The client authenticated with `Authorization: Basic` (a 401 then carries a Basic challenge). */
  basic: boolean;
}

const BASIC = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i;
const NAMES = ['grant_type', 'client_id', 'client_secret', 'scope'] as const;
type Name = (typeof NAMES)[number];

/** RFC 6749 §2.3.1: the id and secret are form-urlencoded before base64. */
function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** `Authorization: Basic base64(id:secret)`; undefined without one, invalid_client when it cannot be read. */
export function basicCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  if (authorization === undefined || !/^Basic\s/i.test(authorization)) {
    return undefined;
  }
  const decoded = Buffer.from(BASIC.exec(authorization)?.[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) {
    throw new OAuth2Error('invalid_client', 'The Basic authorization header must carry base64(client_id:client_secret).', true);
  }
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

/** Adds the known parameters of one source (an object of strings or string arrays) to `into`; others are ignored, as IMS does. */
function collect(into: Map<Name, string[]>, source: unknown): void {
  if (typeof source !== 'object' || source === null || Array.isArray(source)) {
    return;
  }
  for (const name of NAMES) {
    if (!Object.hasOwn(source, name)) {
      continue;
    }
    const raw: unknown = (source as Record<string, unknown>)[name];
    const values = (Array.isArray(raw) ? raw : [raw]).map((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v));
    if (values.some((v) => typeof v !== 'string')) {
      throw new OAuth2Error('invalid_request', `The ${name} parameter must be a string.`);
    }
    into.set(name, [...(into.get(name) ?? []), ...(values as string[])]);
  }
}

/** The one value of a parameter; repeated (RFC 6749 §3.2: "MUST NOT be included more than once") → invalid_request; empty = absent. */
function single(params: Map<Name, string[]>, name: Name): string | undefined {
  const values = [...new Set(params.get(name) ?? [])];
  if (values.length > 1) {
    throw new OAuth2Error('invalid_request', `The ${name} parameter was sent more than once.`);
  }
  return values[0] === '' ? undefined : values[0];
}

/** The same client named twice, differently (Basic and parameters) → invalid_request. */
function agree(name: Name, basic: string, parameter: string | undefined): string {
  if (parameter !== undefined && parameter !== basic) {
    throw new OAuth2Error('invalid_request', `The ${name} parameter differs from the one in the Basic authorization header; send the client credentials once.`);
  }
  return basic;
}

/**
 * The token request of `request`: parameters from the query string and the body (form, JSON, or
 * multipart fields in `fields`), client credentials from HTTP Basic or the parameters (both
 * accepted; when both are sent they must agree).
 */
export function readTokenRequest(request: Pick<FastifyRequest, 'query' | 'body' | 'headers'>, fields?: Record<string, string[]>): TokenRequest {
  const params = new Map<Name, string[]>();
  collect(params, request.query);
  collect(params, request.body);
  collect(params, fields);
  const header = request.headers.authorization;
  const basic = basicCredentials(Array.isArray(header) ? header[0] : header);
  const clientId = single(params, 'client_id');
  const clientSecret = single(params, 'client_secret');
  return {
    grantType: single(params, 'grant_type'),
    clientId: basic === undefined ? clientId : agree('client_id', basic.id, clientId),
    clientSecret: basic === undefined ? clientSecret : agree('client_secret', basic.secret, clientSecret),
    scope: single(params, 'scope'),
    basic: basic !== undefined,
  };
}
