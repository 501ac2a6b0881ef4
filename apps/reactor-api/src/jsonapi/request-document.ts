import { ReactorError } from '@openexp/errors';
import type { Identifier } from './document';

/**
 * A resource object from a request body, after the lenient parsing clients need (§1.3).
 * Services receive values parsed from it, never this shape.
 */
export interface ResourceInput {
  type: string;
  id: string | undefined;
  attributes: Record<string, unknown>;
  relationships: Record<string, unknown>;
  meta: Record<string, unknown>;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Parses `{data:{type,id,attributes,relationships,meta}}`, also accepting a body without the `data`
 * wrapper (SDK `privateReleaseExtensionPackage`), a missing `type` (createCallback: inferred from
 * the endpoint) and unknown top-level members. `type`/`id` that contradict the endpoint → 409.
 */
export function parseResourceDocument(body: unknown, expected: { type: string; id?: string }): ResourceInput {
  const { data, at } = resourceObject(body);
  const member = (name: string): Record<string, unknown> => objectMember(data, name, at);
  const id = resourceId(data, at, expected.id);
  return { type: resourceType(data, at, expected.type), id, attributes: member('attributes'), relationships: member('relationships'), meta: member('meta') };
}

/** The resource object of a body and where it sits (`/data`, or `` for an unwrapped one). */
function resourceObject(body: unknown): { data: Record<string, unknown>; at: string } {
  if (!isObject(body)) {
    throw new ReactorError('invalid-document', 'The request body must be a JSON object with a `data` member.', {
      ...(body === undefined || body === null ? {} : { pointer: '' }),
    });
  }
  let data: unknown = body['data'];
  let at = '/data';
  if (data === undefined && typeof body['type'] === 'string' && 'id' in body) {
    data = body;
    at = '';
  }
  if (!isObject(data)) {
    throw new ReactorError('invalid-document', 'The request document must have a `data` object.', { pointer: at === '' ? '' : '/data' });
  }
  return { data, at };
}

/** `type`, the endpoint's when absent; another type → 409 `type-mismatch`. */
function resourceType(data: Record<string, unknown>, at: string, expected: string): string {
  const type = data['type'] ?? expected;
  if (typeof type !== 'string') {
    throw new ReactorError('validation-error', '`type` must be a string.', { pointer: `${at}/type` });
  }
  if (type !== expected) {
    throw new ReactorError('type-mismatch', `This endpoint takes resources of type "${expected}", not "${type}".`, {
      pointer: `${at}/type`,
    });
  }
  return type;
}

/** `id` when given; one other than the URL's → 409 `id-mismatch`. */
function resourceId(data: Record<string, unknown>, at: string, expected: string | undefined): string | undefined {
  const id = data['id'];
  if (id !== undefined && id !== null && typeof id !== 'string') {
    throw new ReactorError('validation-error', '`id` must be a string.', { pointer: `${at}/id` });
  }
  if (expected !== undefined && typeof id === 'string' && id !== expected) {
    throw new ReactorError('id-mismatch', `The body's id ${id} does not match the id in the URL (${expected}).`, {
      pointer: `${at}/id`,
    });
  }
  return typeof id === 'string' ? id : undefined;
}

/** An object member of the resource object (`attributes`, `relationships`, `meta`); absent or null is empty. */
function objectMember(data: Record<string, unknown>, name: string, at: string): Record<string, unknown> {
  const value = data[name];
  if (value === undefined || value === null) {
    return {};
  }
  if (!isObject(value)) {
    throw new ReactorError('validation-error', `\`${name}\` must be an object.`, { pointer: `${at}/${name}` });
  }
  return value;
}

/** Reads `relationships.<name>.data` as a to-one identifier (null when absent or null). */
export function toOneRelationship(input: ResourceInput, name: string, type: string): string | null {
  const rel = input.relationships[name];
  if (rel === undefined || rel === null) {
    return null;
  }
  const data = isObject(rel) ? rel['data'] : undefined;
  if (data === null) {
    return null;
  }
  const pointer = `/data/relationships/${name}`;
  if (!isObject(data) || typeof data['id'] !== 'string') {
    throw new ReactorError('validation-error', `relationships.${name}.data must be {"id","type"}.`, { pointer });
  }
  if (data['type'] !== undefined && data['type'] !== type) {
    throw new ReactorError('type-mismatch', `relationships.${name} must point at a resource of type "${type}".`, {
      pointer: `${pointer}/data/type`,
    });
  }
  return data['id'];
}

/** A to-many linkage item; `revise` when its `meta.action` is `"revise"` (revise the resource, link the revision). */
export interface LinkageItem {
  id: string;
  revise?: true;
}

/**
 * An item's `meta.action`: `revise` where the relationship takes it (`allowRevise`), anything else
 * refused with 422 `invalid-action` at `{pointer}/meta/action`, never ignored.
 */
function itemRevise(item: Record<string, unknown>, pointer: string, allowRevise: boolean): boolean {
  const meta = item['meta'];
  if (meta === undefined || meta === null) {
    return false;
  }
  if (!isObject(meta)) {
    throw new ReactorError('validation-error', '`meta` must be an object.', { pointer: `${pointer}/meta` });
  }
  const action = meta['action'];
  if (action === undefined || action === null) {
    return false;
  }
  if (action !== 'revise' || !allowRevise) {
    const takes = allowRevise ? 'takes meta.action "revise" only' : 'takes no meta.action';
    throw new ReactorError('invalid-action', `This relationship ${takes}; got ${JSON.stringify(action)}.`, { pointer: `${pointer}/meta/action` });
  }
  return true;
}

/** Reads `relationships.<name>.data` as a to-many identifier list (empty when absent); no item may carry a `meta.action`. */
export function toManyRelationship(input: ResourceInput, name: string, type: string): string[] {
  return toManyLinkage(input, name, type, false).map((item) => item.id);
}

/** `relationships.<name>.data` as to-many linkage items, with `meta.action: "revise"` when `allowRevise`. */
export function toManyLinkage(input: ResourceInput, name: string, type: string, allowRevise: boolean): LinkageItem[] {
  const rel = input.relationships[name];
  if (rel === undefined || rel === null) {
    return [];
  }
  const data = isObject(rel) ? rel['data'] : undefined;
  const pointer = `/data/relationships/${name}`;
  if (isObject(data)) {
    const id = toOneRelationship(input, name, type) ?? '';
    return [itemRevise(data, `${pointer}/data`, allowRevise) ? { id, revise: true } : { id }];
  }
  if (!Array.isArray(data)) {
    throw new ReactorError('validation-error', `relationships.${name}.data must be an array of {"id","type"}.`, { pointer });
  }
  return data.map((item: unknown, i) => {
    if (!isObject(item) || typeof item['id'] !== 'string') {
      throw new ReactorError('validation-error', `relationships.${name}.data[${i}] must be {"id","type"}.`, {
        pointer: `${pointer}/data/${i}`,
      });
    }
    if (item['type'] !== undefined && item['type'] !== type) {
      throw new ReactorError('type-mismatch', `relationships.${name} takes resources of type "${type}".`, {
        pointer: `${pointer}/data/${i}/type`,
      });
    }
    return itemRevise(item, `${pointer}/data/${i}`, allowRevise) ? { id: item['id'], revise: true } : { id: item['id'] };
  });
}

/**
 * A linkage document `{data:[{id,type}…]}` or `{data:{id,type}}` for relationship endpoints
 * (extra top-level members such as an `id` next to `data` are ignored). An item's `meta.action`
 * `revise` is read where `allowRevise`; any other item action is refused (422 `invalid-action`).
 */
export function parseLinkageDocument(body: unknown, allowedTypes: readonly string[], many: boolean, allowRevise = false): (Identifier & LinkageItem)[] {
  if (!isObject(body) || !('data' in body)) {
    throw new ReactorError('invalid-document', 'A relationship request needs a `data` member.', isObject(body) ? { pointer: '' } : {});
  }
  const data = body['data'];
  if (data === null && !many) {
    return [];
  }
  if ((!many && Array.isArray(data)) || (!Array.isArray(data) && !isObject(data))) {
    throw new ReactorError('invalid-document', many ? '`data` must be an array of identifiers.' : '`data` must be one identifier.', {
      pointer: '/data',
    });
  }
  const items: unknown[] = Array.isArray(data) ? data : [data];
  return items.map((item, i) => {
    const pointer = Array.isArray(data) ? `/data/${i}` : '/data';
    if (!isObject(item) || typeof item['id'] !== 'string' || typeof item['type'] !== 'string') {
      throw new ReactorError('validation-error', 'Each identifier must be {"id","type"} with string members.', { pointer });
    }
    if (!allowedTypes.includes(item['type'])) {
      throw new ReactorError('type-mismatch', `This relationship takes ${allowedTypes.join(', ')}, not ${item['type']}.`, {
        pointer: `${pointer}/type`,
      });
    }
    const identifier = { id: item['id'], type: item['type'] };
    return itemRevise(item, pointer, allowRevise) ? { ...identifier, revise: true } : identifier;
  });
}

/** `meta.action` of a PATCH, if any. When present, attributes are ignored (release note 2019-05-21). */
export function actionOf(input: ResourceInput): string | undefined {
  const action = input.meta['action'];
  if (action === undefined || action === null) {
    return undefined;
  }
  if (typeof action !== 'string') {
    throw new ReactorError('validation-error', 'meta.action must be a string.', { pointer: '/data/meta/action' });
  }
  return action;
}
