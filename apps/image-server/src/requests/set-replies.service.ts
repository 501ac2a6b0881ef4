import { Injectable } from '@nestjs/common';
import type { ResolvedObject, ResolvedRequest } from '@openexp/catalogs';
import { DEFAULT_JSONP_HANDLER, ImageServingError, jsonp, PROPERTY_CONTENT_TYPES } from '@openexp/errors';
import type { PlainResponse } from '../errors';
import { detectSetType, parseImageSet, setTypeOf, MAX_SET_ITEMS, type SetItem, type SetPart, type SetType } from './image-set';
import { jsonpOptions } from './image-replies.service';
import { ObjectSizeService } from './object-size.service';
import { encodedBody, plainReply, replyPolicy } from './property-reply';
import type { RequestScope } from './request-context';
import type { PropertyFormat } from './request-type';
import { node, setJson, setXml, type SetNode } from './set-document';

/**
 * Deepest set nesting `req=set` follows: the outer set is level 1, a set referenced or written
 * in-line inside it level 2, and so on (Adobe's `PS::fvctx.nestingLimit`; a 2D spin set of
 * referenced spin sets inside a media set needs 3). Deeper, or a set that contains itself, is
 * an `IMG_NESTING_LIMIT` usage error.
 */
export const SET_NESTING_LIMIT = 3;

/** What one `req=set` reply walks: the request, the items counted so far (all levels, at most {@link MAX_SET_ITEMS}). */
interface Walk {
  resolved: ResolvedRequest;
  items: number;
}

/** The set records a nested set descends from, as `rootId/id`, to refuse cycles. */
type Ancestors = readonly string[];

/**
 * `req=set` (image-serving.md §2; Adobe "Media set requests"): the hierarchical description of
 * the record's `ImageSet`, or of `imageSet=` (which overrides it; one pair of enclosing braces is
 * removed), for the viewers. The outer type comes from `AssetType`, else from the set's shape
 * ({@link detectSetType}); a record without a set is a simple `img` set, and so is a plain image
 * path. Document (our shape; Adobe's DTD is not public):
 * `<set pv="1.0" type="…" n="…">` with one `<item>` per entry; an image is `<i n="ref" dx=".." dy=".."/>`
 * (full-resolution size, left out when the image cannot be read), a swatch `<s n="ref"/>` or
 * `<s c="0xrrggbb" l="label"/>`, a page set item holds up to three `<i>`, a nested set is a
 * `<set>` inside the item, and media-set items carry `type`. json: the same tree as
 * `{"set":{…}}` (`item` always an array). TTL: `NonImgExpiration`.
 */
@Injectable()
export class SetRepliesService {
  constructor(private readonly sizes: ObjectSizeService) {}

  async set(scope: RequestScope, format: PropertyFormat): Promise<PlainResponse> {
    const { resolved } = scope;
    const walk: Walk = { resolved, items: 0 };
    const root = await this.outerSet(walk);
    const policy = replyPolicy(scope, resolved.attributes.nonImgExpiration);
    if (format === 'json') {
      const { handler, requestId } = jsonpOptions(scope);
      return plainReply(scope, PROPERTY_CONTENT_TYPES.json, jsonp(handler ?? DEFAULT_JSONP_HANDLER, setJson(root), requestId), policy);
    }
    const encoding = scope.req.encoding;
    return plainReply(scope, `text/xml; charset=${encoding}`, encodedBody(setXml(root, encoding), 'xml', encoding), policy);
  }

  private async outerSet(walk: Walk): Promise<SetNode> {
    const { resolved } = walk;
    const object = resolved.object;
    const record = object.record;
    const command = resolved.value('imageset');
    if (command !== undefined && command.trim() !== '') {
      const ancestors = record === null ? [] : [keyOf(object)];
      const name = object.kind === 'none' ? '' : resolved.pathObject;
      return this.setOf(walk, unbrace(command.trim()), record?.assetType ?? null, 'imageSet=', name, 1, ancestors);
    }
    if (record !== null && record.imageSet !== null && record.imageSet.trim() !== '') {
      return this.setOf(walk, record.imageSet, record.assetType, `ImageSet of ${record.id}`, resolved.pathObject, 1, [keyOf(object)]);
    }
    if (object.kind === 'none') {
      throw new ImageServingError('IMG_NOT_FOUND', 'req=set names no record and no imageSet=');
    }
    // A simple image: a record without a set, or a file path (whose absence is the error).
    const size = await this.sizes.size(object, resolved.catalogs);
    if (size === undefined && object.kind !== 'record') {
      throw new ImageServingError('IMG_NOT_FOUND', `no image ${object.id}`, { path: object.displayPath ?? object.id });
    }
    return node('set', [['pv', '1.0'], ['type', 'img'], ['n', resolved.pathObject]], [node('item', [], [imageNode(resolved.pathObject, size)])]);
  }

  /** A `<set>` for a set value at nesting `level`. */
  private async setOf(walk: Walk, value: string, assetType: string | null, what: string, name: string, level: number, ancestors: Ancestors): Promise<SetNode> {
    if (level > SET_NESTING_LIMIT) {
      throw new ImageServingError('IMG_NESTING_LIMIT', `${what}: sets nested deeper than ${SET_NESTING_LIMIT} levels`, { command: 'req', value: 'set' });
    }
    const items = parseImageSet(value, what);
    walk.items += items.length;
    if (walk.items > MAX_SET_ITEMS) {
      throw new ImageServingError('IMG_NESTING_LIMIT', `${what}: more than ${MAX_SET_ITEMS} set items in all`, { command: 'req', value: 'set' });
    }
    const type = (assetType === null ? undefined : setTypeOf(assetType)) ?? detectSetType(items, (id) => this.setRecord(walk, id) !== undefined);
    const children = await Promise.all(items.map((item) => this.item(walk, item, type, what, level, ancestors)));
    return node('set', [['pv', '1.0'], ['type', type], ...(name === '' ? [] : [['n', name] as [string, string]])], children);
  }

  private async item(walk: Walk, item: SetItem, type: SetType, what: string, level: number, ancestors: Ancestors): Promise<SetNode> {
    const first = item.fields[0] ?? [];
    const swatch = swatchNode(item.fields[1]?.[0]);
    switch (type) {
      case 'ecat':
        return node('item', [], await Promise.all(first.filter(isRef).slice(0, 3).map((p) => this.image(walk, p.id))));
      case 'media_set': {
        const content = first[0] ?? { kind: 'empty' };
        const argument = item.fields[2]?.[0];
        const asked = argument?.kind === 'ref' ? setTypeOf(argument.id) : undefined;
        const itemType = asked ?? this.partType(walk, content, what);
        if (itemType === 'media_set') {
          throw new ImageServingError('IMG_NESTING_LIMIT', `${what}: a media set inside a media set is not supported`, { command: 'req', value: 'set' });
        }
        const body = await this.content(walk, content, itemType, what, level, ancestors);
        return node('item', [['type', itemType]], [...body, ...swatch]);
      }
      default:
        return node('item', [], [...(await this.content(walk, first[0] ?? { kind: 'empty' }, type === 'img_set' || type === 'img' ? 'img' : type, what, level, ancestors)), ...swatch]);
    }
  }

  /** The body of an item: an image, a nested set (referenced or in-line), or a media reference. */
  private async content(walk: Walk, part: SetPart, itemType: SetType, what: string, level: number, ancestors: Ancestors): Promise<SetNode[]> {
    if (part.kind === 'inline') {
      return [await this.setOf(walk, part.text, itemType === 'img' ? null : itemType, `${what} (in-line set)`, '', level + 1, ancestors)];
    }
    if (part.kind !== 'ref') {
      return [];
    }
    const nested = this.setRecord(walk, part.id);
    if (nested !== undefined) {
      const key = keyOf(nested);
      if (ancestors.includes(key)) {
        throw new ImageServingError('IMG_NESTING_LIMIT', `${what}: set ${part.id} contains itself`, { command: 'req', value: 'set' });
      }
      const record = nested.record;
      return [await this.setOf(walk, record?.imageSet ?? '', record?.assetType ?? null, `ImageSet of ${part.id}`, part.id, level + 1, [...ancestors, key])];
    }
    if (itemType === 'video' || itemType === 'video_set' || itemType === 'static') {
      return [node('v', [['n', part.id]])];
    }
    return [await this.image(walk, part.id)];
  }

  /** Type of a media-set item without a type argument: the nested set's type, else an image. */
  private partType(walk: Walk, part: SetPart, what: string): SetType {
    if (part.kind === 'inline') {
      return detectSetType(parseImageSet(part.text, what), (id) => this.setRecord(walk, id) !== undefined);
    }
    const id = part.kind === 'ref' ? part.id : '';
    const record = id === '' ? undefined : this.setRecord(walk, id)?.record;
    if (record === null || record === undefined) {
      return 'img';
    }
    const declared = record.assetType === null ? undefined : setTypeOf(record.assetType);
    return declared ?? detectSetType(parseImageSet(record.imageSet ?? '', `ImageSet of ${id}`), (ref) => this.setRecord(walk, ref) !== undefined);
  }

  /** The object a reference names when it is a record with an `ImageSet`. */
  private setRecord(walk: Walk, id: string): ResolvedObject | undefined {
    const object = resolveQuietly(walk.resolved, id);
    return object?.record?.imageSet && object.record.imageSet.trim() !== '' ? object : undefined;
  }

  /** `<i n="ref" dx dy>`: the size is left out when the reference does not name a readable image. */
  private async image(walk: Walk, id: string): Promise<SetNode> {
    const object = resolveQuietly(walk.resolved, id);
    const size = object === undefined ? undefined : await this.sizes.size(object, walk.resolved.catalogs).catch(() => undefined);
    return imageNode(id, size);
  }
}

function imageNode(name: string, size: { width: number; height: number } | undefined): SetNode {
  return node('i', [['n', name], ...(size === undefined ? [] : ([['dx', String(size.width)], ['dy', String(size.height)]] as [string, string][]))]);
}

function swatchNode(part: SetPart | undefined): SetNode[] {
  if (part?.kind === 'ref') {
    return [node('s', [['n', part.id]])];
  }
  if (part?.kind === 'color') {
    return [node('s', [['c', part.rgb], ...(part.label === '' ? [] : ([['l', part.label]] as [string, string][]))])];
  }
  return [];
}

const isRef = (p: SetPart): p is { kind: 'ref'; id: string } => p.kind === 'ref';

const keyOf = (o: ResolvedObject): string => `${o.catalog.rootId}/${o.id}`;

/** `{…}` around a whole `imageSet=` value only escapes it in the URL (Adobe `imageSet=`). */
function unbrace(value: string): string {
  if (!value.startsWith('{')) {
    return value;
  }
  let depth = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charAt(i);
    depth += c === '{' ? 1 : c === '}' ? -1 : 0;
    if (depth === 0) {
      return i === value.length - 1 ? value.slice(1, -1) : value;
    }
  }
  return value;
}

/** A set member resolved like `src=` (§1.5); a reference that cannot be resolved (e.g. `..`) is no object. */
function resolveQuietly(resolved: ResolvedRequest, id: string): ResolvedObject | undefined {
  try {
    return resolved.resolveObject(id);
  } catch {
    return undefined;
  }
}
