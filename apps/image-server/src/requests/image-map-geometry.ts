/**
 * The geometry of `req=map` areas (image-serving.md §2, §3.5 `map=`): each area's coordinates
 * carried from the map's space into the reply's pixels and clipped to the reply. Only `SHAPE` and
 * `COORDS` change.
 */
import type { AreaAttribute, MapArea, MapGeometry } from './image-map-area';

const attribute = (area: MapArea, name: string): AreaAttribute | undefined => area.attributes.find((a) => a.name.toLowerCase() === name);

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
  switch (shape) {
    case 'default':
      return polygonArea(area, clipPolygon([...g.outline], g.width, g.height));
    case 'rect':
    case 'rectangle':
      return rectArea(area, coords, g);
    case 'poly':
    case 'polygon':
      return polyArea(area, coords, g);
    case 'circle':
    case 'circ':
      return circleArea(area, coords, g);
    default:
      return undefined;
  }
}

/** `RECT x1,y1,x2,y2`: its four corners carried through the geometry and clipped. */
function rectArea(area: MapArea, coords: readonly number[], g: MapGeometry): MapArea | undefined {
  const [x1, y1, x2, y2] = coords;
  if (coords.length !== 4 || x1 === undefined || y1 === undefined || x2 === undefined || y2 === undefined || coords.some(Number.isNaN)) {
    return undefined;
  }
  return polygonArea(area, clipPolygon([g.point(x1, y1), g.point(x2, y1), g.point(x2, y2), g.point(x1, y2)], g.width, g.height));
}

/** `POLY x1,y1,x2,y2,x3,y3…`: at least three points, carried through the geometry and clipped; stays a `POLY`. */
function polyArea(area: MapArea, coords: readonly number[], g: MapGeometry): MapArea | undefined {
  if (coords.length < 6 || coords.length % 2 !== 0 || coords.some(Number.isNaN)) {
    return undefined;
  }
  const pts: Point[] = [];
  for (let i = 0; i < coords.length; i += 2) {
    pts.push(g.point(coords[i] ?? 0, coords[i + 1] ?? 0));
  }
  return polygonArea(area, clipPolygon(pts, g.width, g.height), true);
}

/** `CIRCLE x,y,r`: the centre moves, the radius scales; dropped when it ends up outside the reply. */
function circleArea(area: MapArea, coords: readonly number[], g: MapGeometry): MapArea | undefined {
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
