import { Inject, Injectable } from '@nestjs/common';
import { DB, type Db } from '../database/database';
import type { ImsCredentialRow } from '../database/schema';
import { newId, sha256Hex } from '../common/ids';

/** A credential with its company's org, as the token endpoint and the CLI see it. */
export interface ImsCredential extends ImsCredentialRow {
  org_id: string;
}

export interface NewImsCredential {
  clientId: string;
  companyId: string;
  name: string;
  secretHash: string;
  rights: readonly string[];
  /** Null: the usual Adobe scope names. */
  scopes: readonly string[] | null;
}

export interface IssuedToken {
  token: string;
  clientId: string;
  companyId: string;
  name: string;
  rights: readonly string[];
  scope: string;
  expiresAt: Date;
}

/**
 * OAuth2 client credentials (`ims_credentials`) and the bearer tokens they issued: those live in
 * `api_tokens` like every token (sha256 only), so the AuthGuard authenticates them unchanged;
 * `ims_tokens` links each to its credential.
 */
@Injectable()
export class ImsCredentialsRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  async create(credential: NewImsCredential, now = new Date()): Promise<ImsCredential> {
    await this.db
      .insertInto('ims_credentials')
      .values({
        client_id: credential.clientId,
        company_id: credential.companyId,
        name: credential.name,
        secret_hash: credential.secretHash,
        rights: JSON.stringify(credential.rights),
        scopes: credential.scopes === null ? null : JSON.stringify(credential.scopes),
        created_at: now,
      })
      .execute();
    const created = await this.find(credential.clientId);
    if (created === undefined) {
      throw new Error(`credential ${credential.clientId} vanished after insert`);
    }
    return created;
  }

  /** The credential (revoked or not), undefined when no credential has this client_id. */
  find(clientId: string, db: Db = this.db): Promise<ImsCredential | undefined> {
    return db
      .selectFrom('ims_credentials')
      .innerJoin('companies', 'companies.id', 'ims_credentials.company_id')
      .selectAll('ims_credentials')
      .select('companies.org_id')
      .where('ims_credentials.client_id', '=', clientId)
      .executeTakeFirst();
  }

  /**
   * Whether the credential exists and is not revoked, locking its row until the transaction ends:
   * a concurrent `revoke` (whose UPDATE takes the same lock) then runs wholly before or after the
   * token is stored, so it never misses a token issued while it ran.
   */
  async lockUnrevoked(tx: Db, clientId: string): Promise<boolean> {
    const row = await tx.selectFrom('ims_credentials').select('client_id').where('client_id', '=', clientId).where('revoked_at', 'is', null).forUpdate().executeTakeFirst();
    return row !== undefined;
  }

  /** Every credential, or those of one org, oldest first. */
  list(orgId?: string): Promise<ImsCredential[]> {
    let query = this.db
      .selectFrom('ims_credentials')
      .innerJoin('companies', 'companies.id', 'ims_credentials.company_id')
      .selectAll('ims_credentials')
      .select('companies.org_id');
    if (orgId !== undefined) {
      query = query.where('companies.org_id', '=', orgId);
    }
    return query.orderBy('ims_credentials.created_at').orderBy('ims_credentials.client_id').execute();
  }

  /** Marks the credential revoked (once) and deletes every token it issued; the number of tokens deleted. */
  async revoke(db: Db, clientId: string, now: Date): Promise<number> {
    await db.updateTable('ims_credentials').set({ revoked_at: now }).where('client_id', '=', clientId).where('revoked_at', 'is', null).execute();
    const deleted = await db
      .deleteFrom('api_tokens')
      .where('id', 'in', db.selectFrom('ims_tokens').select('token_id').where('client_id', '=', clientId))
      .executeTakeFirst();
    return Number(deleted.numDeletedRows);
  }

  /** Stores a new token of the credential (its sha256 in `api_tokens`, the link and scope in `ims_tokens`) and drops its expired ones. */
  async saveToken(db: Db, issued: IssuedToken, now: Date): Promise<string> {
    await db
      .deleteFrom('api_tokens')
      .where('id', 'in', db.selectFrom('ims_tokens').select('token_id').where('client_id', '=', issued.clientId))
      .where('expires_at', '<=', now)
      .execute();
    const id = newId('api_tokens');
    await db
      .insertInto('api_tokens')
      .values({
        id,
        company_id: issued.companyId,
        token_hash: sha256Hex(issued.token),
        name: issued.name,
        rights: JSON.stringify(issued.rights),
        expires_at: issued.expiresAt,
        created_at: now,
      })
      .execute();
    await db.insertInto('ims_tokens').values({ token_id: id, client_id: issued.clientId, scope: issued.scope, created_at: now }).execute();
    return id;
  }

  /** How many unexpired tokens each listed credential has. */
  async liveTokenCounts(clientIds: readonly string[], now: Date): Promise<Map<string, number>> {
    if (clientIds.length === 0) {
      return new Map();
    }
    const rows = await this.db
      .selectFrom('ims_tokens')
      .innerJoin('api_tokens', 'api_tokens.id', 'ims_tokens.token_id')
      .select(['ims_tokens.client_id', (eb) => eb.fn.countAll<number>().as('count')])
      .where('ims_tokens.client_id', 'in', clientIds)
      .where('api_tokens.expires_at', '>', now)
      .groupBy('ims_tokens.client_id')
      .execute();
    return new Map(rows.map((r) => [r.client_id, Number(r.count)]));
  }
}
