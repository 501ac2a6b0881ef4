import { randomBytes } from 'node:crypto';
import type { Transactions } from '../database/transactions';
import type { AuthRepository } from './auth.repository';
import { hashClientSecret, newClientSecret } from './client-secret';
import type { ImsCredential, ImsCredentialsRepository } from './ims-credentials.repository';
import type { Right } from './rights';

export interface CreateCredential {
  org: string;
  name: string | undefined;
  rights: readonly Right[];
  /** Undefined: the usual Adobe scope names (ims-scopes.ts). */
  scopes: readonly string[] | undefined;
}

/** What `client create` prints: the only time the secret is ever shown. */
export interface CreatedCredential {
  client_id: string;
  client_secret: string;
  name: string;
  company_id: string;
  org_id: string;
  rights: string[];
  scopes: string[] | null;
  token_url_path: '/ims/token/v3';
}

/** A credential as `client list` prints it (never the secret or its hash). */
export interface ListedCredential {
  client_id: string;
  name: string;
  org_id: string;
  rights: string[];
  scopes: string[] | null;
  created_at: string;
  revoked_at: string | null;
  live_tokens: number;
}

/**
 * The admin CLI's `client create | list | revoke` (cli.ts), kept here with the rest of the token
 * endpoint. Built by hand by the CLI (no Nest there) and by the integration test.
 */
export class ImsCredentialsAdmin {
  constructor(
    private readonly auth: AuthRepository,
    private readonly credentials: ImsCredentialsRepository,
    private readonly transactions: Transactions,
  ) {}

  /** A new credential of the org's company (created if missing); the secret is hashed before it is stored. */
  async create(input: CreateCredential): Promise<CreatedCredential> {
    const company = await this.auth.ensureCompany(input.org);
    const clientId = randomBytes(16).toString('hex');
    const secret = newClientSecret();
    const name = input.name ?? `ims-client-${clientId.slice(0, 8)}`;
    const row = await this.credentials.create({
      clientId,
      companyId: company.id,
      name,
      secretHash: await hashClientSecret(secret),
      rights: input.rights,
      scopes: input.scopes ?? null,
    });
    return { client_id: clientId, client_secret: secret, name, company_id: company.id, org_id: row.org_id, rights: row.rights, scopes: row.scopes, token_url_path: '/ims/token/v3' };
  }

  async list(org: string | undefined, now = new Date()): Promise<ListedCredential[]> {
    const rows = await this.credentials.list(org);
    const live = await this.credentials.liveTokenCounts(
      rows.map((r) => r.client_id),
      now,
    );
    return rows.map((r) => listed(r, live.get(r.client_id) ?? 0));
  }

  /**
   * Revokes the credential and deletes the tokens it issued, in one transaction; undefined for an
   * unknown client_id. A running server may keep accepting a token it authenticated in the last
   * TOKEN_CACHE_TTL_MS (10 s, auth/token-cache.ts); a token it has not seen is refused at once.
   */
  async revoke(clientId: string, now = new Date()): Promise<{ credential: ListedCredential; tokens_deleted: number } | undefined> {
    return this.transactions.run(async (tx) => {
      const existing = await this.credentials.find(clientId, tx);
      if (existing === undefined) {
        return undefined;
      }
      const deleted = await this.credentials.revoke(tx, clientId, now);
      const revoked = await this.credentials.find(clientId, tx);
      return { credential: listed(revoked ?? existing, 0), tokens_deleted: deleted };
    });
  }
}

function listed(row: ImsCredential, liveTokens: number): ListedCredential {
  return {
    client_id: row.client_id,
    name: row.name,
    org_id: row.org_id,
    rights: row.rights,
    scopes: row.scopes,
    created_at: row.created_at.toISOString(),
    revoked_at: row.revoked_at?.toISOString() ?? null,
    live_tokens: liveTokens,
  };
}
