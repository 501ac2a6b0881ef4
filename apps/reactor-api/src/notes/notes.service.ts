import { Injectable } from '@nestjs/common';
import type { AuthContext } from '../auth/rights';
import { newId } from '../common/ids';
import { ScopeRepository } from '../common/scope.repository';
import type { NoteRow } from '../database/schema';
import { parseListQuery, type Page } from '../jsonapi/list-query';
import { NOTE_COLUMNS, NotesRepository } from './notes.repository';

export const NOTE_OWNERS = ['properties', 'libraries', 'extensions', 'data_elements', 'rules', 'rule_components', 'secrets'] as const;
export type NoteOwner = (typeof NOTE_OWNERS)[number];

/** Notes (§2.11): short, immutable, removed with their resource's property. */
@Injectable()
export class NotesService {
  constructor(
    private readonly notes: NotesRepository,
    private readonly scope: ScopeRepository,
  ) {}

  async list(auth: AuthContext, owner: NoteOwner, id: string, query: unknown): Promise<Page<NoteRow>> {
    await this.propertyOf(auth, owner, id);
    return this.notes.listOnResource(id, parseListQuery(query, NOTE_COLUMNS));
  }

  async create(auth: AuthContext, owner: NoteOwner, id: string, text: string): Promise<NoteRow> {
    const propertyId = await this.propertyOf(auth, owner, id);
    const now = new Date();
    return this.notes.insert({ id: newId('notes'), property_id: propertyId, resource_type: owner, resource_id: id, text, author_display_name: auth.tokenName, author_email: '', created_at: now, updated_at: now });
  }

  async get(auth: AuthContext, id: string): Promise<NoteRow> {
    return this.scope.note(auth.companyId, id);
  }

  private async propertyOf(auth: AuthContext, owner: NoteOwner, id: string): Promise<string> {
    if (owner === 'properties') {
      return (await this.scope.property(auth.companyId, id)).id;
    }
    if (owner === 'libraries') {
      return (await this.scope.library(auth.companyId, id)).property_id;
    }
    if (owner === 'secrets') {
      return (await this.scope.secret(auth.companyId, id)).property_id;
    }
    return (await this.scope.revisioned(owner, auth.companyId, id)).property_id;
  }
}
