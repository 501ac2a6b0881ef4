import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { REACTOR_API_CONFIG, type ReactorApiConfig } from '../config/reactor-api.config';
import { Transactions } from '../database/transactions';
import { verifyClientSecret } from './client-secret';
import { ImsCredentialsRepository, type ImsCredential } from './ims-credentials.repository';
import { DEFAULT_IMS_SCOPES, parseScope } from './ims-scopes';
import type { TokenRequest } from './ims-token-request';
import { OAuth2Error } from './oauth2-error';

/** The token reply of IMS v3 (`expires_in` in seconds). */
export interface TokenReply {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
}

function base64urlJson(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * The bearer token: shaped like an IMS access token (a JWT whose payload has `client_id`, `org`,
 * `scope`, and `created_at` / `expires_in` in milliseconds, as Adobe's aio-lib-ims reads them to
 * tell whether a token is still valid), but its third part is 32 random bytes, not a signature.
 * The server trusts only the token's sha256 in `api_tokens`; the payload is for clients.
 */
function newAccessToken(credential: ImsCredential, scope: string, now: Date, ttlSeconds: number): string {
  const header = base64urlJson({ alg: 'none', typ: 'JWT', kid: 'openexp-ims' });
  const payload = base64urlJson({
    id: randomUUID(),
    type: 'access_token',
    client_id: credential.client_id,
    user_id: `${credential.client_id}@techacct.adobe.com`,
    org: credential.org_id,
    as: 'openexp',
    scope,
    created_at: String(now.getTime()),
    expires_in: String(ttlSeconds * 1000),
  });
  return `${header}.${payload}.${randomBytes(32).toString('base64url')}`;
}

/**
 * `POST /ims/token/v3`, the client-credentials grant (RFC 6749 §4.4) as Adobe IMS answers it. A
 * token is a row of `api_tokens` with the credential's company and rights and `expires_at` = now +
 * IMS_TOKEN_TTL_SECONDS, so the AuthGuard authenticates it like any token (an expired one is
 * `session-timeout`). Each request issues a new token; the credential's expired ones are deleted.
 */
@Injectable()
export class ImsTokenService {
  constructor(
    private readonly credentials: ImsCredentialsRepository,
    private readonly transactions: Transactions,
    @Inject(REACTOR_API_CONFIG) private readonly config: ReactorApiConfig,
  ) {}

  async issue(request: TokenRequest, now = new Date()): Promise<TokenReply> {
    if (request.grantType === undefined) {
      throw new OAuth2Error('invalid_request', 'missing grant_type parameter');
    }
    if (request.grantType !== 'client_credentials') {
      throw new OAuth2Error('unsupported_grant_type', `grant_type ${request.grantType} is not supported; this server issues client_credentials tokens only`);
    }
    const credential = await this.authenticateClient(request);
    const scope = this.grantedScope(credential, request.scope);
    const ttl = this.config.imsTokenTtlSeconds;
    const token = newAccessToken(credential, scope, now, ttl);
    const expiresAt = new Date(now.getTime() + ttl * 1000);
    const issued = { token, clientId: credential.client_id, companyId: credential.company_id, name: credential.name, rights: credential.rights, scope, expiresAt };
    await this.transactions.run(async (tx) => {
      // Checked again, locked, in the transaction: a credential revoked meanwhile issues nothing.
      if (!(await this.credentials.lockUnrevoked(tx, credential.client_id))) {
        throw new OAuth2Error('invalid_client', 'the client credential has been revoked', request.basic);
      }
      await this.credentials.saveToken(tx, issued, now);
    });
    return { access_token: token, token_type: 'bearer', expires_in: ttl };
  }

  private async authenticateClient(request: TokenRequest): Promise<ImsCredential> {
    if (request.clientId === undefined) {
      throw new OAuth2Error('invalid_request', 'missing client_id parameter');
    }
    if (request.clientSecret === undefined) {
      throw new OAuth2Error('invalid_request', 'missing client_secret parameter');
    }
    const credential = await this.credentials.find(request.clientId);
    if (credential === undefined) {
      throw new OAuth2Error('invalid_client', 'invalid client_id parameter', request.basic);
    }
    if (credential.revoked_at !== null) {
      throw new OAuth2Error('invalid_client', 'the client credential has been revoked', request.basic);
    }
    if (!(await verifyClientSecret(request.clientSecret, credential.secret_hash))) {
      throw new OAuth2Error('invalid_client', 'invalid client_secret parameter', request.basic);
    }
    return credential;
  }

  /** The requested scopes, each allowed for the credential, comma-joined as IMS writes them. */
  private grantedScope(credential: ImsCredential, requested: string | undefined): string {
    const allowed = credential.scopes ?? DEFAULT_IMS_SCOPES;
    const scopes = parseScope(requested);
    const refused = scopes.filter((s) => !allowed.includes(s));
    if (refused.length > 0) {
      throw new OAuth2Error('invalid_scope', `scope ${refused.join(',')} is not allowed for this client (allowed: ${allowed.join(',')})`);
    }
    return scopes.join(',');
  }
}
