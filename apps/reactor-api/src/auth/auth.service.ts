import { Injectable } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import { sha256Hex } from '../common/ids';
import { AuthRepository, type TokenRecord } from './auth.repository';
import { AuthContext, isRight } from './rights';
import { TokenCache } from './token-cache';

export interface Credentials {
  authorization: string | undefined;
  apiKey: string | undefined;
  orgId: string | undefined;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Bearer token → AuthContext (§1.2, §3.3 auth codes). Known tokens are cached briefly (see
 * TokenCache): without it every request would pay a database round trip before its own query.
 * Tokens and Tags access change only through the CLI (another process), so a revoked token or a
 * disabled org stops working within TOKEN_CACHE_TTL_MS; a new token works at once.
 */
@Injectable()
export class AuthService {
  private readonly cache = new TokenCache<{ context: AuthContext; record: TokenRecord }>();

  constructor(private readonly repository: AuthRepository) {}

  async authenticate(credentials: Credentials, now = new Date()): Promise<AuthContext> {
    const token = BEARER.exec(credentials.authorization ?? '')?.[1];
    if (token === undefined) {
      throw new ReactorError('authentication-failure', 'Send an API token as "Authorization: Bearer <token>".');
    }
    if (credentials.apiKey === undefined || credentials.apiKey.trim() === '') {
      throw new ReactorError('authentication-failure', 'The x-api-key header is required (any non-empty client id).');
    }
    const { context, record } = (await this.lookup(token, now.getTime())) ?? {};
    if (context === undefined || record === undefined) {
      throw new ReactorError('authentication-failure', 'The bearer token is not valid.');
    }
    if (record.expiresAt !== null && record.expiresAt.getTime() <= now.getTime()) {
      throw new ReactorError('session-timeout', 'The bearer token has expired; create a new one.');
    }
    if (credentials.orgId !== undefined && credentials.orgId !== '' && credentials.orgId !== record.orgId) {
      throw new ReactorError('invalid-org', `This token does not give access to org ${credentials.orgId}.`);
    }
    if (!record.tagsAccess) {
      throw new ReactorError(
        'invalid-org',
        `Org ${record.orgId} has no access to Tags: an administrator of this server disabled it. The token is valid; ask them to enable Tags for the org.`,
      );
    }
    return context;
  }

  /** Unknown tokens are never cached, so a token created a moment ago works at once. */
  private async lookup(token: string, now: number): Promise<{ context: AuthContext; record: TokenRecord } | undefined> {
    const hash = sha256Hex(token);
    const hit = this.cache.get(hash, now);
    if (hit !== undefined) {
      return hit;
    }
    const record = await this.repository.findToken(hash);
    if (record === undefined) {
      return undefined;
    }
    const entry = { record, context: new AuthContext(record.companyId, record.orgId, record.id, record.name, new Set(record.rights.filter(isRight))) };
    this.cache.set(hash, entry, now);
    return entry;
  }
}
