/**
 * HTML image maps of `req=map` (image-serving.md §2, §3.5 `map=`; Adobe "Image maps"): `<AREA>`
 * elements read from `catalog::Map` or `map=`, their coordinates carried through the layer and
 * view geometry of the reply, and written back as text, xml or json. Only `SHAPE` and `COORDS`
 * change; every other attribute passes through as written.
 */
import { escapeXmlAttribute } from '@openexp/errors';

/** A point transform: from the coordinate space of a map to the reply's pixels. */
export type PointMap = (x: number, y: number) => readonly [number, number];

/** One attribute of an `<AREA>` element, as written. */
export interface AreaAttribute {
  /** Name as written (`SHAPE`, `href` …). */
  name: string;
  /** Raw value as written between the quotes (entities not decoded); `null` for a bare attribute. */
  value: string | null;
}

/** One `<AREA>` element. */
export interface MapArea {
  /** Element name as written (`AREA`, `area`). */
  tag: string;
  attributes: AreaAttribute[];
  /** The element exactly as written, for a map returned without modification. */
  source: string;
}

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
    SPACE.lastIndex = at;
    SPACE.test(text);
    at = SPACE.lastIndex;
    const ch = text.charAt(at);
    if (ch === '') {
      return 'end';
    }
    if (ch === '>') {
      return { attributes, end: at + 1 };
    }
    if (ch === '/' && text.charAt(at + 1) === '>') {
      return { attributes, end: at + 2 };
    }
    NAME.lastIndex = at;
    const name = NAME.exec(text)?.[0];
    if (name === undefined) {
      return undefined;
    }
    at += name.length;
    SPACE.lastIndex = at;
    SPACE.test(text);
    if (text.charAt(SPACE.lastIndex) !== '=') {
      attributes.push({ name, value: null });
      continue;
    }
    SPACE.lastIndex = SPACE.lastIndex + 1;
    SPACE.test(text);
    at = SPACE.lastIndex;
    const quote = text.charAt(at);
    if (quote === '"' || quote === "'") {
      const close = text.indexOf(quote, at + 1);
      if (close < 0) {
        return 'end';
      }
      attributes.push({ name, value: text.slice(at + 1, close) });
      at = close + 1;
    } else {
      let end = at;
      while (end < text.length && !/[\s>]/.test(text.charAt(end))) {
        end++;
      }
      if (end === text.length) {
        return 'end';
      }
      attributes.push({ name, value: text.slice(at, end) });
      at = end;
    }
  }
}

const attribute = (area: MapArea, name: string): AreaAttribute | undefined => area.attributes.find((a) => a.name.toLowerCase() === name);

/** Where a map's coordinates live: source pixels (`catalog::Map`) or layer pixels after rotate/extend (`map=`). */
export interface MapGeometry {
  /** Source (or layer) pixels → reply pixels. */
  point: PointMap;
  /** Reply size: areas are clipped to it. */
  width: number;
  height: number;
  /** The outline, in reply pixels, of the whole source (or layer): what `SHAPE=DEFAULT` covers. */
  outline: readonly (readonly [number, number])[];
  /** Average linear scale, for circle radii. */
  scale: number;
}

type Point = readonly [number, number];

/**
 * Transforms one area into reply pixels: `RECT` stays a rectangle when the geometry keeps axes
 * (flip, quarter turns) and becomes a `POLY` otherwise; `POLY` is clipped to the reply;
 * `CIRCLE` moves and scales (Adobe does not support it; we keep it rather than drop it);
 * `DEFAULT` becomes the `RECT` (or `POLY`) the image occupies. Returns `undefined` for an area
 * that is empty after clipping, or whose coordinates do not parse (% coordinates included).
 */
export function transformArea(area: MapArea, g: MapGeometry): MapArea | undefined {
  const shape = (attribute(area, 'shape')?.value ?? 'rect').trim().toLowerCase();
  const coords = (attribute(area, 'coords')?.value ?? '').split(',').map((c) => (/^\s*-?\d+(\.\d+)?\s*$/.test(c) ? Number(c) : Number.NaN));
  const clip = (pts: Point[]) => clipPolygon(pts, g.width, g.height);
  switch (shape) {
    case 'default':
      return polygonArea(area, clip([...g.outline]));
    case 'rect':
    case 'rectangle': {
      const [x1, y1, x2, y2] = coords;
      if (coords.length !== 4 || x1 === undefined || y1 === undefined || x2 === undefined || y2 === undefined || coords.some(Number.isNaN)) {
        return undefined;
      }
      return polygonArea(area, clip([g.point(x1, y1), g.point(x2, y1), g.point(x2, y2), g.point(x1, y2)]));
    }
    case 'poly':
    case 'polygon': {
      if (coords.length < 6 || coords.length % 2 !== 0 || coords.some(Number.isNaN)) {
        return undefined;
      }
      const pts: Point[] = [];
      for (let i = 0; i < coords.length; i += 2) {
        pts.push(g.point(coords[i] ?? 0, coords[i + 1] ?? 0));
      }
      return polygonArea(area, clip(pts), true);
    }
    case 'circle':
    case 'circ': {
      const [x, y, r] = coords;
      if (coords.length !== 3 || x === undefined || y === undefined || r === undefined || coords.some(Number.isNaN)) {
        return undefined;
      }
      const [cx, cy] = g.point(x, y);
      const radius = r * g.scale;
      if (radius <= 0 || cx + radius <= 0 || cy + radius <= 0 || cx - radius >= g.width || cy - radius >= g.height) {
        return undefined;
      }
      return withShape(area, 'CIRCLE', [cx, cy, radius].map(Math.round).join(','));
    }
    default:
      return undefined;
  }
}

/** The area with a polygon as its geometry: a `RECT` when the polygon is an axis-aligned rectangle. */
function polygonArea(area: MapArea, pts: Point[], keepPoly = false): MapArea | undefined {
  const rounded = dedupe(pts.map(([x, y]): Point => [Math.round(x), Math.round(y)]));
  if (rounded.length < 3 || Math.abs(signedArea(rounded)) < 1) {
    return undefined;
  }
  const xs = rounded.map((p) => p[0]);
  const ys = rounded.map((p) => p[1]);
  const [x1, x2, y1, y2] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const isRect = rounded.length === 4 && rounded.every(([x, y]) => (x === x1 || x === x2) && (y === y1 || y === y2));
  if (isRect && !keepPoly) {
    return withShape(area, 'RECT', `${x1},${y1},${x2},${y2}`);
  }
  return withShape(area, 'POLY', rounded.flat().join(','));
}

function dedupe(pts: Point[]): Point[] {
  const out = pts.filter((p, i) => {
    const prev = pts[(i + pts.length - 1) % pts.length];
    return prev === undefined || prev[0] !== p[0] || prev[1] !== p[1];
  });
  return out.length === 0 && pts.length > 0 ? pts.slice(0, 1) : out;
}

function signedArea(pts: readonly Point[]): number {
  let sum = 0;
  for (let i = 0; i < pts.length; i++) {
    const [x1, y1] = pts[i] ?? [0, 0];
    const [x2, y2] = pts[(i + 1) % pts.length] ?? [0, 0];
    sum += x1 * y2 - x2 * y1;
  }
  return sum / 2;
}

/** Sutherland–Hodgman clipping of a polygon to the reply rectangle `[0,w]×[0,h]`. */
export function clipPolygon(pts: readonly Point[], w: number, h: number): Point[] {
  const edges: { inside: (p: Point) => boolean; cut: (a: Point, b: Point) => Point }[] = [
    { inside: (p) => p[0] >= 0, cut: (a, b) => at(a, b, (0 - a[0]) / (b[0] - a[0])) },
    { inside: (p) => p[0] <= w, cut: (a, b) => at(a, b, (w - a[0]) / (b[0] - a[0])) },
    { inside: (p) => p[1] >= 0, cut: (a, b) => at(a, b, (0 - a[1]) / (b[1] - a[1])) },
    { inside: (p) => p[1] <= h, cut: (a, b) => at(a, b, (h - a[1]) / (b[1] - a[1])) },
  ];
  let out: Point[] = [...pts];
  for (const edge of edges) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const cur = input[i];
      const prev = input[(i + input.length - 1) % input.length];
      if (cur === undefined || prev === undefined) {
        continue;
      }
      if (edge.inside(cur)) {
        if (!edge.inside(prev)) {
          out.push(edge.cut(prev, cur));
        }
        out.push(cur);
      } else if (edge.inside(prev)) {
        out.push(edge.cut(prev, cur));
      }
    }
  }
  return out;
}

const at = (a: Point, b: Point, t: number): Point => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];

/** The area with new `SHAPE` and `COORDS` values (names keep their case; a missing COORDS is added after SHAPE). */
function withShape(area: MapArea, shape: string, coords: string): MapArea {
  const shapeAttr = attribute(area, 'shape');
  const upper = (shapeAttr?.name ?? area.tag) === (shapeAttr?.name ?? area.tag).toUpperCase();
  const attributes = area.attributes.map((a) => {
    const n = a.name.toLowerCase();
    return n === 'shape' ? { name: a.name, value: shape } : n === 'coords' ? { name: a.name, value: coords } : a;
  });
  if (shapeAttr === undefined) {
    attributes.unshift({ name: upper ? 'SHAPE' : 'shape', value: shape });
  }
  if (attribute(area, 'coords') === undefined) {
    const i = attributes.findIndex((a) => a.name.toLowerCase() === 'shape');
    attributes.splice(i + 1, 0, { name: upper ? 'COORDS' : 'coords', value: coords });
  }
  return { tag: area.tag, attributes, source: '' };
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
