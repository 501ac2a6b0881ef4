import { paginationMeta, type Page } from './list-query';

/*
 * JSON:API response shapes (reactor-api.md §1.3) and the link builder. Presenters turn service
 * results into these; services never see them.
 */

export interface Identifier {
  id: string;
  type: string;
}

export interface RelationshipObject {
  links: { related?: string; self?: string };
  data?: Identifier | Identifier[] | null;
}

export interface ResourceObject {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
  relationships: Record<string, RelationshipObject>;
  links: Record<string, string>;
  meta: Record<string, unknown>;
}

export interface SingleDocument {
  data: ResourceObject;
}

export interface ListDocument {
  data: ResourceObject[];
  meta: { pagination: ReturnType<typeof paginationMeta> };
  links?: Record<string, string>;
}

export interface LinkageDocument {
  data: Identifier | Identifier[] | null;
  links: { related: string; self: string };
}

/** Absolute URLs from PUBLIC_BASE_URL. */
export class Links {
  constructor(readonly base: string) {}

  self(type: string, id: string): string {
    return `${this.base}/${type}/${id}`;
  }
  related(type: string, id: string, relationship: string): string {
    return `${this.base}/${type}/${id}/${relationship}`;
  }
  relationship(type: string, id: string, relationship: string): string {
    return `${this.base}/${type}/${id}/relationships/${relationship}`;
  }

  /** To-one relationship with its linkage. `withSelf` adds the relationship endpoint link. */
  toOne(type: string, id: string, name: string, target: Identifier | null, withSelf = false): RelationshipObject {
    return { links: this.relationshipLinks(type, id, name, withSelf), data: target };
  }

  /** To-many relationship that is not embedded: links only. */
  toMany(type: string, id: string, name: string, withSelf = false): RelationshipObject {
    return { links: this.relationshipLinks(type, id, name, withSelf) };
  }

  // Presenters run once per resource of every page: no spread of a conditional object here.
  private relationshipLinks(type: string, id: string, name: string, withSelf: boolean): RelationshipObject['links'] {
    const related = this.related(type, id, name);
    return withSelf ? { related, self: this.relationship(type, id, name) } : { related };
  }

  linkage(type: string, id: string, name: string, data: Identifier | Identifier[] | null): LinkageDocument {
    return { data, links: { related: this.related(type, id, name), self: this.relationship(type, id, name) } };
  }
}

export function single(data: ResourceObject): SingleDocument {
  return { data };
}

export function list<T>(page: Page<T>, present: (item: T) => ResourceObject): ListDocument {
  return { data: page.items.map(present), meta: { pagination: paginationMeta(page.page, page.total) } };
}

/** ISO-8601 UTC with milliseconds and `Z`. */
export function iso(date: Date | null | undefined): string | null {
  return date == null ? null : date.toISOString();
}

/** Linkage objects hold only `id` and `type` (the SDK compares with toEqual). */
export function identifier(type: string, id: string): Identifier {
  return { id, type };
}

/** Empty page document, e.g. for a related list of a resource with no rows. */
export function emptyPage<T>(page: Page<T>['page']): Page<T> {
  return { items: [], page, total: 0 };
}
