import { Injectable } from '@nestjs/common';
import type { DeferrableReactorErrorCode } from '@openexp/errors';
import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { googleServiceAccount, type ClientCredentials, type GoogleCredentials, type JwtAlgorithm, type JwtCredentials, type SecretCredentials } from './secrets.dto';

/** A successful exchange: the access token (kept in memory only) and its lifetime. */
export interface ExchangeResult {
  accessToken: string;
  expiresIn: number | null;
  tokenType: string | null;
}

/** Why an exchange failed: a deferred code, a sentence for `status_details`, and whether to retry. */
export class ExchangeError extends Error {
  constructor(
    readonly code: DeferrableReactorErrorCode,
    readonly detail: string,
    readonly transient: boolean,
  ) {
    super(detail);
    this.name = 'ExchangeError';
  }
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const HASH: Record<JwtAlgorithm, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512', ES256: 'sha256', ES384: 'sha384', ES512: 'sha512' };

/**
 * The HTTP side effect of OAuth2 secrets: one POST to the token endpoint (form-encoded, RFC 6749
 * §4.4 with the client credentials in the body; RFC 7523 JWT bearer assertions for oauth2-jwt and
 * oauth2-google), bounded by a timeout, redirects not followed.
 */
@Injectable()
export class TokenExchange {
  async exchange(secret: SecretCredentials, timeoutMs: number): Promise<ExchangeResult> {
    switch (secret.type_of) {
      case 'oauth2-client_credentials':
        return this.post(secret.credentials.token_url, clientCredentialsForm(secret.credentials), timeoutMs);
      case 'oauth2-jwt':
        return this.post(secret.credentials.token_url, jwtForm(secret.credentials), timeoutMs);
      case 'oauth2-google': {
        const { url, form } = googleForm(secret.credentials);
        return this.post(url, form, timeoutMs);
      }
      default:
        throw new ExchangeError('internal-error', `${secret.type_of} secrets are not exchanged.`, false);
    }
  }

  private async post(url: string, form: URLSearchParams, timeoutMs: number): Promise<ExchangeResult> {
    const host = safeHost(url);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw networkError(error, host, timeoutMs);
    }
    const text = await response.text().catch(() => '');
    if (response.status !== 200) {
      const oauth = oauthError(text);
      const detail = `The token endpoint ${host} answered ${response.status}${oauth === null ? '' : `: ${oauth}`}.`;
      throw new ExchangeError('unknown-error', detail, response.status >= 500 || response.status === 429);
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new ExchangeError('unknown-error', `The token endpoint ${host} answered 200 without a JSON body.`, false);
    }
    const token = body['access_token'];
    if (typeof token !== 'string' || token === '') {
      throw new ExchangeError('unknown-error', `The token endpoint ${host} answered without an access_token.`, false);
    }
    const expires = Number(body['expires_in']);
    return { accessToken: token, expiresIn: Number.isFinite(expires) && expires > 0 ? Math.floor(expires) : null, tokenType: typeof body['token_type'] === 'string' ? body['token_type'] : null };
  }
}

function clientCredentialsForm(c: ClientCredentials): URLSearchParams {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: c.client_id, client_secret: c.client_secret });
  if (c.options?.scope !== undefined) {
    form.set('scope', c.options.scope);
  }
  if (c.options?.audience !== undefined) {
    form.set('audience', c.options.audience);
  }
  return form;
}

function jwtForm(c: JwtCredentials): URLSearchParams {
  const now = Math.floor(Date.now() / 1000);
  const claims = { ...c.custom_claims, iss: c.iss, sub: c.sub ?? c.iss, aud: c.aud ?? c.token_url, iat: now, exp: now + (c.ttl ?? 3600), jti: randomUUID() };
  const form = new URLSearchParams({ grant_type: JWT_BEARER, assertion: signJwt(claims, c.private_key, c.algorithm ?? 'RS256', c.kid) });
  if (c.options?.scope !== undefined) {
    form.set('scope', c.options.scope);
  }
  if (c.options?.audience !== undefined) {
    form.set('audience', c.options.audience);
  }
  return form;
}

function googleForm(c: GoogleCredentials): { url: string; form: URLSearchParams } {
  const account = googleServiceAccount(c.key_file_json);
  if (account === null) {
    throw new ExchangeError('unknown-error', 'The service account key file has no client_email or private_key.', false);
  }
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: account.client_email, scope: c.scopes.join(' '), aud: account.token_uri, iat: now, exp: now + 3600 };
  return { url: account.token_uri, form: new URLSearchParams({ grant_type: JWT_BEARER, assertion: signJwt(claims, account.private_key, 'RS256', undefined) }) };
}

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

/** A compact JWS (RFC 7515) signed with node:crypto; ES* signatures in the JOSE (r‖s) form. */
export function signJwt(claims: Record<string, unknown>, privateKeyPem: string, algorithm: JwtAlgorithm, kid: string | undefined): string {
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch {
    throw new ExchangeError('unknown-error', 'private_key is not a readable PEM private key.', false);
  }
  const header = base64url(JSON.stringify({ alg: algorithm, typ: 'JWT', ...(kid !== undefined ? { kid } : {}) }));
  const payload = base64url(JSON.stringify(claims));
  const input = Buffer.from(`${header}.${payload}`);
  let signature: Buffer;
  try {
    signature = algorithm.startsWith('ES') ? sign(HASH[algorithm], input, { key, dsaEncoding: 'ieee-p1363' }) : sign(HASH[algorithm], input, key);
  } catch (error) {
    throw new ExchangeError('unknown-error', `private_key cannot sign ${algorithm}: ${(error as Error).message}`, false);
  }
  return `${header}.${payload}.${base64url(signature)}`;
}

/** Host and port only: token URLs may carry tenant ids or keys in their path or query. */
function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'token endpoint';
  }
}

function oauthError(text: string): string | null {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const error = typeof body['error'] === 'string' ? body['error'] : null;
    const description = typeof body['error_description'] === 'string' ? body['error_description'].slice(0, 300) : null;
    return error === null ? null : description === null ? error : `${error} (${description})`;
  } catch {
    return null;
  }
}

function networkError(error: unknown, host: string, timeoutMs: number): ExchangeError {
  if ((error as Error).name === 'TimeoutError') {
    return new ExchangeError('timeout-error', `The token endpoint ${host} did not answer within ${timeoutMs} ms.`, true);
  }
  const code = (error as { cause?: { code?: string } }).cause?.code;
  if (code === 'ECONNREFUSED') {
    return new ExchangeError('connection-refused', `The token endpoint ${host} refused the connection.`, true);
  }
  return new ExchangeError('socket-error', `Could not reach the token endpoint ${host}${code === undefined ? '' : ` (${code})`}.`, true);
}
