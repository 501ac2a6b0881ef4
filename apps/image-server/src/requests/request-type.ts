import { ImageServingError, xmlEncodingOf, type XmlEncoding } from '@openexp/errors';
import type { ServerCacheMode } from '../cache/image-cache.service';

/** The `req=` types this server answers (image-serving.md §2, §9 item 7; the viewer types of issue 16). */
export type ReqType =
  | 'img'
  | 'tmb'
  | 'mask'
  | 'props'
  | 'imageprops'
  | 'exists'
  | 'catalogprops'
  | 'userdata'
  | 'targets'
  | 'imageset'
  | 'map'
  | 'set'
  | 'validate'
  | 'resolve'
  | 'message';

/** Property reply formats (§2.1). */
export type PropertyFormat = 'text' | 'javascript' | 'xml' | 'json';

/** A parsed `req=type[,format[,encoding]]`. */
export interface ReqSpec {
  type: ReqType;
  /** Reply format; `image` for `img`/`tmb`/`mask`. */
  format: PropertyFormat | 'image';
  /** Character encoding of an `xml` reply (UTF-8 unless the type offers `xml[,enc]` and one is named). */
  encoding: XmlEncoding;
}

const FORMATS: Readonly<Record<ReqType, readonly PropertyFormat[]>> = {
  img: [],
  tmb: [],
  mask: [],
  props: ['text', 'javascript', 'xml', 'json'],
  imageprops: ['text', 'javascript', 'xml', 'json'],
  exists: ['text', 'javascript', 'xml', 'json'],
  catalogprops: ['text', 'javascript', 'xml', 'json'],
  userdata: ['text', 'xml', 'json'],
  targets: ['text', 'xml', 'json'],
  imageset: ['text', 'javascript', 'xml', 'json'],
  map: ['text', 'xml', 'json'],
  // §2: xml[,enc] and json only; xml is the default (a hierarchy has no text form).
  set: ['xml', 'json'],
  validate: ['text', 'javascript', 'xml', 'json'],
  resolve: ['text'],
  message: ['text'],
};

/** Types whose xml format takes an encoding (`xml[,enc]` in §2's table); the others answer in UTF-8 only. */
const XML_WITH_ENCODING: ReadonlySet<ReqType> = new Set(['userdata', 'targets', 'imageset', 'map', 'set']);

const isReqType = (t: string): t is ReqType => Object.prototype.hasOwnProperty.call(FORMATS, t);

function unsupported(value: string, why: string): ImageServingError {
  return new ImageServingError('IMG_UNSUPPORTED_REQUEST', `req=${value}: ${why}`, { command: 'req', value });
}

/**
 * Parses `req=` (keywords case-insensitive). Unknown types, formats a type does not offer, and an
 * encoding other than UTF-8 for an xml reply whose type offers none (or one not in §2.1's list)
 * are `IMG_UNSUPPORTED_REQUEST` usage errors.
 */
export function parseReq(value: string | undefined): ReqSpec {
  if (value === undefined || value === '') {
    return { type: 'img', format: 'image', encoding: 'UTF-8' };
  }
  const [rawType = '', rawFormat = '', rawEncoding = '', ...rest] = value.split(',');
  const type = rawType.toLowerCase();
  if (!isReqType(type)) {
    throw unsupported(value, `unknown or unsupported request type '${rawType}'`);
  }
  const allowed = FORMATS[type];
  if (allowed.length === 0) {
    if (rawFormat !== '' || rawEncoding !== '' || rest.length > 0) {
      throw unsupported(value, `req=${type} takes no format`);
    }
    return { type, format: 'image', encoding: 'UTF-8' };
  }
  // The first format a type offers is its default: text, except for req=set (xml).
  const format = (rawFormat === '' ? (allowed[0] ?? 'text') : rawFormat.toLowerCase()) as PropertyFormat;
  if (!allowed.includes(format)) {
    throw unsupported(value, `req=${type} offers ${allowed.join(', ')}, not '${rawFormat}'`);
  }
  if (rest.length > 0 || (rawEncoding !== '' && format !== 'xml')) {
    throw unsupported(value, `req=${type},${format} takes no encoding`);
  }
  const encoding = rawEncoding === '' ? 'UTF-8' : xmlEncodingOf(rawEncoding);
  if (encoding === undefined || (encoding !== 'UTF-8' && !XML_WITH_ENCODING.has(type))) {
    const offered = XML_WITH_ENCODING.has(type) ? 'UTF-8, UTF-16, UTF-16LE, UTF-16BE or ISO-8859-1' : 'UTF-8 only';
    throw unsupported(value, `req=${type},xml answers in ${offered}, not '${rawEncoding}'`);
  }
  return { type, format, encoding };
}

/**
 * Best-effort `req=` of a raw query, for formatting an error that happened before the request
 * could be resolved (bad path, lock, obfuscation): the error still comes in the asked format.
 */
export function sniffReq(rawQuery: string): ReqSpec {
  for (const part of rawQuery.split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).toLowerCase() === 'req') {
      try {
        return parseReq(decodeURIComponentSafe(part.slice(eq + 1)));
      } catch {
        return { type: 'img', format: 'image', encoding: 'UTF-8' };
      }
    }
  }
  return { type: 'img', format: 'image', encoding: 'UTF-8' };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A parsed `cache=` (§6): client and server parts. */
export interface CacheControlSpec {
  /** False when the client must not cache (`cache=off` or `cache=off,…`). */
  client: boolean;
  server: ServerCacheMode;
}

const CACHE_MODES: readonly ServerCacheMode[] = ['on', 'off', 'validate', 'update'];

/** Parses `cache=on|off|validate|update` or `cache=client,server`. */
export function parseCache(value: string | undefined): CacheControlSpec {
  if (value === undefined || value === '') {
    return { client: true, server: 'on' };
  }
  const parts = value.toLowerCase().split(',');
  const modes = parts.map((p) => CACHE_MODES.find((m) => m === p));
  const [a, b] = modes;
  if (parts.length > 2 || a === undefined || (parts.length === 2 && b === undefined)) {
    throw new ImageServingError('IMG_INVALID_COMMAND_VALUE', `cache=${value}: expected on|off|validate|update[,on|off|validate|update]`, { command: 'cache', value });
  }
  if (b !== undefined) {
    return { client: a !== 'off', server: b };
  }
  // One value: on/off apply to both sides; validate/update are server-side only (client unaffected).
  return { client: a !== 'off', server: a };
}
