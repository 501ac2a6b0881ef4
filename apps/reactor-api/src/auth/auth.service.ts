import { Injectable } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import { AuthRepository, type TokenRecord } from './auth.repository';
import { AuthContext, isRight } from './rights';

export interface Credentials {
  authorization: string | undefined;
  apiKey: string | undefined;
  orgId: string | undefined;
}

/** Bearer token → AuthContext (§1.2, §3.3 auth codes). */
/** Token lookups are cached briefly: a revoked or changed token stops working within this time. */
const CACHE_TTL_MS = 10_000;
const CACHE_MAX = 1000;

@Injectable()
export class AuthService {
  private readonly cache = new Map<string, { record: TokenRecord | undefined; until: number }>();

  constructor(private readonly repository: AuthRepository) {}

  private async lookup(token: string, now: number): Promise<TokenRecord | undefined> {
    const hit = this.cache.get(token);
    if (hit !== undefined && hit.until > now) {
      return hit.record;
    }
    const record = await this.repository.findToken(token);
    if (this.cache.size >= CACHE_MAX) {
      this.cache.clear();
    }
    // Unknown tokens are not cached, so a token created a moment ago works at once.
    if (record !== undefined) {
      this.cache.set(token, { record, until: now + CACHE_TTL_MS });
    }
    return record;
  }

  async authenticate(credentials: Credentials, now = new Date()): Promise<AuthContext> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(credentials.authorization ?? '');
    const token = match?.[1];
    if (token === undefined) {
      throw new ReactorError('authentication-failure', 'Send an API token as "Authorization: Bearer <token>".');
    }
    if (credentials.apiKey === undefined || credentials.apiKey.trim() === '') {
      throw new ReactorError('authentication-failure', 'The x-api-key header is required (any non-empty client id).');
    }
    const record = await this.lookup(token, now.getTime());
    if (record === undefined) {
      throw new ReactorError('authentication-failure', 'The bearer token is not valid.');
    }
    if (record.expiresAt !== null && record.expiresAt.getTime() <= now.getTime()) {
      throw new ReactorError('session-timeout', 'The bearer token has expired; create a new one.');
    }
    if (credentials.orgId !== undefined && credentials.orgId !== '' && credentials.orgId !== record.orgId) {
      throw new ReactorError('invalid-org', `This token does not give access to org ${credentials.orgId}.`);
    }
    return new AuthContext(record.companyId, record.orgId, record.id, record.name, new Set(record.rights.filter(isRight)));
  }
}
