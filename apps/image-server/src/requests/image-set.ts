/**
 * `catalog::ImageSet` / `imageSet=` syntax (Adobe "ImageSet" field reference): a comma-separated
 * list of items; an item has sub-items separated by `;` (swatch sets, media sets) or `:` (page
 * sets); `{…}` or `(…)` delimit solid-colour swatches and in-line sets. Delimiters inside ids are
 * %-encoded. Parsing is a single linear pass with a depth counter (no regular expression runs
 * over the value), and a value whose brackets do not balance is a usage error.
 */
import { ImageServingError } from '@openexp/errors';

/** The set types of a `req=set` reply (Adobe "Media set requests": output types). */
export type SetType = 'img' | 'img_set' | 'spin' | 'ecat' | 'media_set' | 'video' | 'video_set' | 'static';

/** One sub-item of an item: an object reference, an in-line set, a solid colour, or nothing (`a;;spin`). */
export type SetPart =
  | { kind: 'ref'; id: string }
  | { kind: 'inline'; text: string }
  | { kind: 'color'; rgb: string; label: string }
  | { kind: 'empty' };

/** One item: its `;`-separated sub-items, each a list of `:`-separated parts (more than one only in page sets). */
export interface SetItem {
  fields: SetPart[][];
}

/** Largest number of items in one set value. */
export const MAX_SET_ITEMS = 1000;

/** Splits at top-level occurrences of `sep` (outside `{}`/`()`). */
function splitTop(text: string, sep: string, what: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '{' || c === '(') {
      depth++;
    } else if (c === '}' || c === ')') {
      depth--;
      if (depth < 0) {
        throw invalidSet(what, `unbalanced '${c}'`);
      }
    } else if (c === sep && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) {
    throw invalidSet(what, 'unbalanced braces');
  }
  out.push(text.slice(start));
  return out;
}

function invalidSet(what: string, why: string): ImageServingError {
  return new ImageServingError('IMG_INVALID_COMMAND_VALUE', `${what}: ${why}`, { command: 'imageset', value: what.slice(0, 200) });
}

function decode(id: string): string {
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}

function parsePart(raw: string, what: string): SetPart {
  const text = raw.trim();
  if (text === '') {
    return { kind: 'empty' };
  }
  const open = text.charAt(0);
  if (open === '{' || open === '(') {
    const close = open === '{' ? '}' : ')';
    if (text.charAt(text.length - 1) !== close) {
      throw invalidSet(what, `'${text.slice(0, 40)}' does not end with '${close}'`);
    }
    const inner = text.slice(1, -1).trim();
    const color = /^0x([0-9a-fA-F]{6})(?:\s+(.*))?$/s.exec(inner);
    if (color !== null) {
      return { kind: 'color', rgb: `0x${(color[1] ?? '').toLowerCase()}`, label: decode(color[2] ?? '') };
    }
    return { kind: 'inline', text: inner };
  }
  return { kind: 'ref', id: decode(text) };
}

/**
 * Parses a set value into items; `what` names the value in error messages. Empty items (`a,,b`)
 * are skipped.
 * @throws ImageServingError `IMG_INVALID_COMMAND_VALUE` for unbalanced brackets, `IMG_NESTING_LIMIT` above {@link MAX_SET_ITEMS} items.
 */
export function parseImageSet(value: string, what: string): SetItem[] {
  const items = splitTop(value, ',', what).filter((i) => i.trim() !== '');
  if (items.length > MAX_SET_ITEMS) {
    throw new ImageServingError('IMG_NESTING_LIMIT', `${what}: ${items.length} items, more than ${MAX_SET_ITEMS}`, { command: 'imageset' });
  }
  return items.map((item) => ({ fields: splitTop(item, ';', what).map((field) => splitTop(field, ':', what).map((p) => parsePart(p, what))) }));
}

/** Output type of an `AssetType` value or a media-set item's type argument (Adobe's input → output table); undefined when not one of them. */
export function setTypeOf(assetType: string): SetType | undefined {
  switch (assetType.trim().toLowerCase()) {
    case 'img':
    case 'basic':
    case 'advanced_image':
      return 'img';
    case 'img_set':
    case 'imageset':
    case 'advanced_image_set':
    case 'advanced_imageset':
    case 'advanced_swatchset':
    case 'swatchset':
      return 'img_set';
    case 'spin':
    case 'spinset':
      return 'spin';
    case 'ecat':
    case 'ecatalog':
      return 'ecat';
    case 'media_set':
    case 'mediaset':
      return 'media_set';
    case 'video':
      return 'video';
    case 'video_set':
      return 'video_set';
    case 'static':
      return 'static';
    default:
      return undefined;
  }
}

/**
 * The type of a set without `AssetType` (Adobe "outer set type detection"), in this order: a
 * colon in an item → page set (`ecat`); two semicolons → `media_set`; one → swatch set
 * (`img_set`); an in-line set or a reference to another set → 2D `spin`; otherwise a plain list
 * of images, which Adobe calls "unknown" and we answer as an `img_set` without swatches.
 */
export function detectSetType(items: readonly SetItem[], isSetRecord: (id: string) => boolean): SetType {
  if (items.some((i) => i.fields.some((f) => f.length > 1))) {
    return 'ecat';
  }
  if (items.some((i) => i.fields.length >= 3)) {
    return 'media_set';
  }
  if (items.some((i) => i.fields.length === 2)) {
    return 'img_set';
  }
  const nested = items.some((i) => {
    const part = i.fields[0]?.[0];
    return part?.kind === 'inline' || (part?.kind === 'ref' && isSetRecord(part.id));
  });
  return nested ? 'spin' : 'img_set';
}
