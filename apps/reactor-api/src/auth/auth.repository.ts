import { Inject, Injectable } from '@nestjs/common';
import { DB, type Db } from '../database/database';
import type { CompanyRow } from '../database/schema';
import { newId, newToken, sha256Hex } from '../common/ids';
import type { Right } from './rights';

export interface TokenRecord {
  id: string;
  name: string;
  companyId: string;
  orgId: string;
  rights: string[];
  expiresAt: Date | null;
  /** False when the token's company has no access to Tags (`cli.js company disable-tags`). */
  tagsAccess: boolean;
}

/** Companies and API tokens (hashed with sha256; the token itself is never stored). */
@Injectable()
export class AuthRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** The token whose sha256 (hex) is `tokenHash`, with its company's org and Tags access. */
  async findToken(tokenHash: string): Promise<TokenRecord | undefined> {
    const row = await this.db
      .selectFrom('api_tokens')
      .innerJoin('companies', 'companies.id', 'api_tokens.company_id')
      .select(['api_tokens.id', 'api_tokens.name', 'api_tokens.company_id', 'api_tokens.rights', 'api_tokens.expires_at', 'companies.org_id', 'companies.tags_access'])
      .where('api_tokens.token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : { id: row.id, name: row.name, companyId: row.company_id, orgId: row.org_id, rights: row.rights, expiresAt: row.expires_at, tagsAccess: row.tags_access };
  }

  /** The company of an org, created if missing. */
  async ensureCompany(orgId: string, name?: string): Promise<CompanyRow> {
    const now = new Date();
    await this.db
      .insertInto('companies')
      .values({ id: newId('companies'), name: name ?? orgId.replace(/@AdobeOrg$/, ''), org_id: orgId, token: newToken(), created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('org_id').doNothing())
      .execute();
    return this.db.selectFrom('companies').selectAll().where('org_id', '=', orgId).executeTakeFirstOrThrow();
  }

  /** Stores a token's hash for a company; an existing token with the same value is rebound. */
  async saveToken(companyId: string, token: string, name: string, rights: readonly Right[], expiresAt: Date | null): Promise<string> {
    const id = newId('api_tokens');
    const row = await this.db
      .insertInto('api_tokens')
      .values({
        id,
        company_id: companyId,
        token_hash: sha256Hex(token),
        name,
        rights: JSON.stringify(rights),
        expires_at: expiresAt,
        created_at: new Date(),
      })
      .onConflict((oc) =>
        oc.column('token_hash').doUpdateSet({ company_id: companyId, rights: JSON.stringify(rights), name, expires_at: expiresAt }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Gives or takes away an org's access to Tags; undefined when no company has that org. */
  async setTagsAccess(orgId: string, enabled: boolean): Promise<CompanyRow | undefined> {
    const row = await this.db
      .updateTable('companies')
      .set({ tags_access: enabled, updated_at: new Date() })
      .where('org_id', '=', orgId)
      .returningAll()
      .executeTakeFirst();
    return row;
  }
}
