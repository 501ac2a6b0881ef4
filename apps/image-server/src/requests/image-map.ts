/**
 * HTML image maps of `req=map` (image-serving.md §2, §3.5 `map=`; Adobe "Image maps"): `<AREA>`
 * elements read from `catalog::Map` or `map=`, their coordinates carried through the layer and
 * view geometry of the reply, and written back as text, xml or json. Only `SHAPE` and `COORDS`
 * change; every other attribute passes through as written.
 */
import { escapeXmlAttribute } from '@openexp/errors';
import type { AreaAttribute, MapArea } from './image-map-area';

export type { AreaAttribute, MapArea, MapGeometry, PointMap } from './image-map-area';
export { clipPolygon, transformArea } from './image-map-geometry';

/** Largest number of `<AREA>` elements read from one map; the rest are ignored (a map is page markup, not data). */
export const MAX_AREAS = 1000;

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const SPACE = /\s*/y;

/**
 * Reads the `<AREA>` elements of a map, in order, in one linear scan (no backtracking pattern
 * runs over the text, and no part of it is scanned twice, whatever a `map=` value holds). Anything
 * that is not an AREA element (text, other tags, a broken element) is skipped; an element the text
 * ends inside ends the map.
 */
export function parseAreas(text: string): MapArea[] {
  const areas: MapArea[] = [];
  let at = 0;
  while (areas.length < MAX_AREAS) {
    const open = text.indexOf('<', at);
    if (open < 0) {
      break;
    }
    at = open + 1;
    if (text.slice(at, at + 4).toLowerCase() !== 'area' || /[-A-Za-z0-9_:.]/.test(text.charAt(at + 4))) {
      continue;
    }
    const parsed = parseAttributes(text, at + 4);
    if (parsed === 'end') {
      // The element runs to the end of the text, so everything after it is inside it: stopping
      // here keeps the scan linear (no rescan of the rest from every later `<area`).
      break;
    }
    if (parsed === undefined) {
      continue;
    }
    areas.push({ tag: text.slice(at, at + 4), attributes: parsed.attributes, source: text.slice(open, parsed.end) });
    at = parsed.end;
  }
  return areas;
}

/** The attributes up to the element's `>`; `undefined` for a malformed element, `'end'` when the text ends inside it. */
function parseAttributes(text: string, from: number): { attributes: AreaAttribute[]; end: number } | 'end' | undefined {
  const attributes: AreaAttribute[] = [];
  let at = from;
  for (;;) {
    at = skipSpace(text, at);
    const ch = text.charAt(at);
    if (ch === '') {
      return 'end';
    }
    const end = ch === '>' ? at + 1 : ch === '/' && text.charAt(at + 1) === '>' ? at + 2 : -1;
    if (end > 0) {
      return { attributes, end };
    }
    NAME.lastIndex = at;
    const name = NAME.exec(text)?.[0];
    if (name === undefined) {
      return undefined;
    }
    at += name.length;
    const eq = skipSpace(text, at);
    if (text.charAt(eq) !== '=') {
      attributes.push({ name, value: null });
      continue;
    }
    const value = attributeValue(text, skipSpace(text, eq + 1));
    if (value === 'end') {
      return 'end';
    }
    attributes.push({ name, value: value.value });
    at = value.end;
  }
}

/** The position after the white space at `at`. */
function skipSpace(text: string, at: number): number {
  SPACE.lastIndex = at;
  SPACE.test(text);
  return SPACE.lastIndex;
}

/** The value starting at `at` (after `=`): quoted up to the same quote, or unquoted up to white space or `>`; `'end'` when the text ends inside it. */
function attributeValue(text: string, at: number): { value: string; end: number } | 'end' {
  const quote = text.charAt(at);
  if (quote === '"' || quote === "'") {
    const close = text.indexOf(quote, at + 1);
    return close < 0 ? 'end' : { value: text.slice(at + 1, close), end: close + 1 };
  }
  let end = at;
  while (end < text.length && !/[\s>]/.test(text.charAt(end))) {
    end++;
  }
  return end === text.length ? 'end' : { value: text.slice(at, end), end };
}

/** An area as HTML, attributes as written (double quotes unless the value holds one). */
export function areaHtml(area: MapArea): string {
  if (area.source !== '') {
    return area.source;
  }
  const attrs = area.attributes.map((a) => (a.value === null ? a.name : a.value.includes('"') ? `${a.name}='${a.value}'` : `${a.name}="${a.value}"`));
  return `<${[area.tag, ...attrs].join(' ')}>`;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** An attribute value with HTML character references decoded (the five named ones and numeric ones). */
export function decodeAttribute(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,4});/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return Object.hasOwn(ENTITIES, ref.toLowerCase()) ? (ENTITIES[ref.toLowerCase()] ?? whole) : whole;
  });
}

/** Attributes of an area as name → decoded value, names lower-case (the xml and json forms). */
export function areaProperties(area: MapArea): [string, string][] {
  return area.attributes.map((a) => [a.name.toLowerCase(), a.value === null ? a.name.toLowerCase() : decodeAttribute(a.value)]);
}

/** The xml form: `<map>` with one `<area name="value" … />` per area (names lower-case). */
export function mapXml(areas: readonly MapArea[], encoding: string): string {
  const lines = areas.map((a) => `  <area ${areaProperties(a).map(([n, v]) => `${n}="${escapeXmlAttribute(v)}"`).join(' ')} />`);
  return [`<?xml version="1.0" encoding="${encoding}" ?>`, areas.length === 0 ? '<map />' : ['<map>', ...lines, '</map>'].join('\n'), ''].join('\n');
}
