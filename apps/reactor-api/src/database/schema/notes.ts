import type { Selectable } from 'kysely';
import type { Timestamp } from './columns';

export interface NotesTable {
  id: string;
  property_id: string;
  resource_type: string;
  resource_id: string;
  text: string;
  author_display_name: string;
  author_email: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type NoteRow = Selectable<NotesTable>;
