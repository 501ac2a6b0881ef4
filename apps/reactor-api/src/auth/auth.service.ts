import { Injectable } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import { AuthRepository } from './auth.repository';
import { AuthContext, isRight } from './rights';

export interface Credentials {
  authorization: string | undefined;
  apiKey: string | undefined;
  orgId: string | undefined;
}

/** Bearer token → AuthContext (§1.2, §3.3 auth codes). */
@Injectable()
export class AuthService {
  constructor(private readonly repository: AuthRepository) {}

  async authenticate(credentials: Credentials, now = new Date()): Promise<AuthContext> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(credentials.authorization ?? '');
    const token = match?.[1];
    if (token === undefined) {
      throw new ReactorError('authentication-failure', 'Send an API token as "Authorization: Bearer <token>".');
    }
    if (credentials.apiKey === undefined || credentials.apiKey.trim() === '') {
      throw new ReactorError('authentication-failure', 'The x-api-key header is required (any non-empty client id).');
    }
    const record = await this.repository.findToken(token);
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
