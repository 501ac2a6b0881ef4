import { Inject, Injectable } from '@nestjs/common';
import type { StatusDetails } from '@openexp/errors';
import type { Insertable, Updateable } from 'kysely';
import { DB, type Db } from '../database/database';
import { runList } from '../database/list-sql';
import type { SecretRow, SecretsTable } from '../database/schema';
import { statusDetailsColumn } from '../database/status-details';
import type { ListQuery, Page } from '../jsonapi/list-query';
import { SECRET_COLUMNS } from './secrets.dto';

/** One revision of a secret: exchange outcomes change only the revision they were made for. */
export interface SecretRevision {
  id: string;
  revision: number;
}

/** A token just obtained: when it came, expires and is to be refreshed. */
export interface TokenTimesSet {
  now: Date;
  expiresAt: Date | null;
  refreshAt: Date | null;
}

/** A succeeded secret whose refresh is due. */
export interface DueRefresh {
  id: string;
  revision: number;
  refresh_at: Date | null;
}

/**
 * The `secrets` table. State changes made by exchanges are guarded by revision and status (and the
 * refresh's due time), so a newer edit or retry always wins over an older job's outcome.
 */
@Injectable()
export class SecretsRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  listInProperty(propertyId: string, query: ListQuery): Promise<Page<SecretRow>> {
    return runList(this.db.selectFrom('secrets').selectAll('secrets').where('secrets.property_id', '=', propertyId), 'secrets', query, SECRET_COLUMNS);
  }

  listInEnvironment(environmentId: string, query: ListQuery): Promise<Page<SecretRow>> {
    return runList(this.db.selectFrom('secrets').selectAll('secrets').where('secrets.environment_id', '=', environmentId), 'secrets', query, SECRET_COLUMNS);
  }

  findById(id: string): Promise<SecretRow | undefined> {
    return this.db.selectFrom('secrets').selectAll().where('id', '=', id).executeTakeFirst();
  }

  insert(row: Insertable<SecretsTable>): Promise<SecretRow> {
    return this.db.insertInto('secrets').values(row).returningAll().executeTakeFirstOrThrow();
  }

  /**
   * Changes a secret; with `newRevision` its revision goes up by one in SQL, so two edits at once
   * get two revisions (and two jobs), never one job id twice.
   */
  update(id: string, set: Updateable<SecretsTable>, newRevision: boolean): Promise<SecretRow> {
    return this.db
      .updateTable('secrets')
      .set({ ...set, ...(newRevision ? { revision: (eb) => eb('revision', '+', 1) } : {}) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('secrets').where('id', '=', id).execute();
  }

  /** Fails one revision, whatever its status (its exchange could not even be queued). */
  async markFailed(secret: SecretRevision, details: StatusDetails): Promise<void> {
    await this.db.updateTable('secrets').set({ status: 'failed', status_details: statusDetailsColumn(details), updated_at: new Date() }).where('id', '=', secret.id).where('revision', '=', secret.revision).execute();
  }

  /** `pending` → `failed`: the exchange of this revision failed for good. */
  async exchangeFailed(secret: SecretRevision, details: StatusDetails): Promise<void> {
    await this.pending(secret).set({ status: 'failed', status_details: statusDetailsColumn(details), updated_at: new Date() }).execute();
  }

  /** `pending` → `succeeded`: the exchange of this revision got a token. */
  async exchanged(secret: SecretRevision, times: TokenTimesSet): Promise<void> {
    await this.pending(secret)
      .set({ status: 'succeeded', status_details: null, refresh_status_details: null, activated_at: times.now, expires_at: times.expiresAt, refresh_at: times.refreshAt, updated_at: times.now })
      .execute();
  }

  /** The refresh due at `due` got a new token: the times move on and the last refresh failure is cleared. */
  async refreshed(secret: SecretRevision, due: Date, times: TokenTimesSet): Promise<void> {
    await this.dueRefresh(secret, due).set({ refresh_status_details: null, expires_at: times.expiresAt, refresh_at: times.refreshAt, updated_at: times.now }).execute();
  }

  /**
   * The refresh due at `due` failed: tried again at `retryAt`, or, with `retryAt` null (the token has
   * expired), the secret fails with the same details.
   */
  async refreshFailed(secret: SecretRevision, due: Date, details: StatusDetails, retryAt: Date | null, now: Date): Promise<void> {
    const column = statusDetailsColumn(details);
    await this.dueRefresh(secret, due)
      .set(
        retryAt === null
          ? { status: 'failed', status_details: column, refresh_status_details: column, refresh_at: null, updated_at: now }
          : { refresh_status_details: column, refresh_at: retryAt, updated_at: now },
      )
      .execute();
  }

  /** Succeeded secrets of `types` whose refresh is due at `now`, the most overdue first, at most `limit`. */
  dueRefreshes(types: readonly string[], now: Date, limit: number): Promise<DueRefresh[]> {
    return this.db
      .selectFrom('secrets')
      .select(['id', 'revision', 'refresh_at'])
      .where('status', '=', 'succeeded')
      .where('type_of', 'in', [...types])
      .where('refresh_at', '<=', now)
      .orderBy('refresh_at')
      .limit(limit)
      .execute();
  }

  private pending(secret: SecretRevision) {
    return this.db.updateTable('secrets').where('id', '=', secret.id).where('revision', '=', secret.revision).where('status', '=', 'pending');
  }

  private dueRefresh(secret: SecretRevision, due: Date) {
    return this.db
      .updateTable('secrets')
      .where('id', '=', secret.id)
      .where('revision', '=', secret.revision)
      .where('status', '=', 'succeeded')
      .where('refresh_at', '=', due);
  }
}
