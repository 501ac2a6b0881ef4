import { Inject, Injectable } from '@nestjs/common';
import type { Insertable } from 'kysely';
import { DB, type Db } from '../database/database';
import { runList } from '../database/list-sql';
import type { NoteRow, NotesTable } from '../database/schema';
import type { ListColumns, ListQuery, Page } from '../jsonapi/list-query';

/** The attributes a notes list filters and sorts on. */
export const NOTE_COLUMNS: ListColumns = { created_at: 'timestamp', updated_at: 'timestamp', text: 'text' };

/** The `notes` table. */
@Injectable()
export class NotesRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** The notes on one resource, filtered, sorted and paged by `query` (parsed against NOTE_COLUMNS). */
  listOnResource(resourceId: string, query: ListQuery): Promise<Page<NoteRow>> {
    const base = this.db.selectFrom('notes').selectAll('notes').where('notes.resource_id', '=', resourceId);
    return runList(base, 'notes', query, NOTE_COLUMNS);
  }

  insert(row: Insertable<NotesTable>): Promise<NoteRow> {
    return this.db.insertInto('notes').values(row).returningAll().executeTakeFirstOrThrow();
  }
}
