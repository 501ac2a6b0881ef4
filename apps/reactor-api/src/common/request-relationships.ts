import { Injectable } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import type { ResourceInput } from '../jsonapi/request-document';
import { ScopeRepository } from './scope.repository';

/**
 * Where an error about `relationships.<name>` of a request document points: the identifier's `id`
 * (`/data/relationships/<name>/data/id`, or `…/data/<index>/id` in a to-many relationship), the
 * member that names the wrong thing, as the pointers of this API always have.
 */
export function relationshipPointer(name: string, index?: number): string {
  return `/data/relationships/${name}/data${index === undefined ? '' : `/${index}`}/id`;
}

/** What a request may say in `data.relationships.<name>`. */
export interface RelationshipRule {
  /** Resource type of its identifiers. */
  type: string;
  /**
   * Given by the URL or by the resource as it is (a creation's property, the rule of
   * `POST /rules/{id}/rule_components`, a PATCH's unchangeable links): the body may repeat it, not
   * name something else. A function is called only when the body carries the relationship.
   * Absent: the request sets it, and the service resolves it (in the caller's company, with
   * {@link relationshipPointer}).
   */
  fixed?: string | readonly string[] | null | (() => Promise<string | readonly string[] | null>);
}

/**
 * The caller, as far as relationships go: the company their ids are looked up in. An `AuthContext`
 * is one; common sits below auth, so it names only what it reads.
 */
export interface RelationshipCaller {
  readonly companyId: string;
}

interface Named {
  id: string;
  pointer: string;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Checks every relationship of a request document before anything is stored, so that none is
 * dropped or replaced in silence (issue 14: another company's ids were answered 201 and replaced by
 * the caller's own object or by null):
 * - a relationship the request cannot set → 422 `validation-error` at `/data/relationships/<name>`;
 * - an identifier of another type → 409 `type-mismatch` at its `type`;
 * - a fixed relationship naming something else → `not-found` (404) when that id is not in the
 *   caller's company (missing and other companies' look the same, spec §3.1/§3.3), else 422
 *   `validation-error`, both at the identifier's `id`.
 * Relationships with only `links` (a GET document sent back) name nothing and pass.
 */
@Injectable()
export class RequestRelationships {
  constructor(private readonly scope: ScopeRepository) {}

  async check(auth: RelationshipCaller, input: ResourceInput, rules: Readonly<Record<string, RelationshipRule>>): Promise<void> {
    for (const [name, entry] of Object.entries(input.relationships)) {
      const named = identifiers(name, entry);
      if (named === undefined) {
        continue;
      }
      const rule = Object.hasOwn(rules, name) ? rules[name] : undefined;
      if (rule === undefined) {
        const settable = Object.keys(rules).filter((r) => rules[r]?.fixed === undefined);
        throw new ReactorError(
          'validation-error',
          `relationships.${name} cannot be set by this request${settable.length > 0 ? ` (it takes ${settable.join(', ')})` : ''}; it was not applied.`,
          { pointer: `/data/relationships/${name}` },
        );
      }
      for (const item of named.items) {
        if (item.type !== undefined && item.type !== rule.type) {
          throw new ReactorError('type-mismatch', `relationships.${name} takes resources of type "${rule.type}", not "${item.type}".`, {
            pointer: item.pointer.replace(/\/id$/, '/type'),
          });
        }
      }
      if (rule.fixed !== undefined) {
        await this.checkFixed(auth, name, rule, named.items);
      }
    }
  }

  private async checkFixed(auth: RelationshipCaller, name: string, rule: RelationshipRule, items: Array<Named & { type: string | undefined }>): Promise<void> {
    const value = typeof rule.fixed === 'function' ? await rule.fixed() : rule.fixed;
    const allowed: readonly string[] = value === null || value === undefined ? [] : typeof value === 'string' ? [value] : value;
    const describe = allowed.length === 0 ? 'empty' : allowed.join(', ');
    for (const item of items) {
      if (!allowed.includes(item.id)) {
        await this.scope.related(rule.type, auth.companyId, item.id, item.pointer);
        throw new ReactorError('validation-error', `relationships.${name} is ${describe} for this request and cannot name ${item.id}; it was not applied.`, { pointer: item.pointer });
      }
    }
    if (items.length === 0 && allowed.length > 0) {
      throw new ReactorError('validation-error', `relationships.${name} is ${describe} for this request and cannot be cleared.`, { pointer: `/data/relationships/${name}/data` });
    }
  }
}

/** The identifiers a relationship entry names; undefined when it has no `data` (links only). */
function identifiers(name: string, entry: unknown): { items: Array<Named & { type: string | undefined }> } | undefined {
  if (!isObject(entry)) {
    if (entry === undefined || entry === null) {
      return undefined;
    }
    throw new ReactorError('validation-error', `relationships.${name} must be an object with a \`data\` member.`, { pointer: `/data/relationships/${name}` });
  }
  if (!('data' in entry)) {
    return undefined;
  }
  const data = entry['data'];
  if (data === null) {
    return { items: [] };
  }
  const list: Array<[unknown, number | undefined]> = Array.isArray(data) ? data.map((item: unknown, i) => [item, i]) : [[data, undefined]];
  return {
    items: list.map(([item, index]) => {
      const pointer = relationshipPointer(name, index);
      if (!isObject(item) || typeof item['id'] !== 'string' || (item['type'] !== undefined && typeof item['type'] !== 'string')) {
        throw new ReactorError('validation-error', `relationships.${name}.data must hold {"id","type"} identifiers.`, { pointer: pointer.replace(/\/id$/, '') });
      }
      return { id: item['id'], type: item['type'] as string | undefined, pointer };
    }),
  };
}
