/** The parts of an HTML image map (`req=map`) that the reader, the geometry and the writers share. */

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
