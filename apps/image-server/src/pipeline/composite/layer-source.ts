// The layer-source contract (issue 15): the types a layer source provider implements and the
// injection tokens it is bound to. The registry that dispatches to providers is layer-sources.ts.
//
// Plugging in a kind (text, nested): write a class implementing LayerSourceProvider (an
// @Injectable() under src/pipeline/composite/ or your own folder), bind it in PipelineModule's
// providers as `{ provide: TEXT_LAYER_SOURCE, useClass: TextLayerSource }` (or
// NESTED_LAYER_SOURCE), and remove the commands it implements from REFUSED_COMMANDS
// (src/commands/command-table.ts). `prepare` checks and stamps (no pixel work); `draw` renders an
// RGBA raster. A nested provider resolves its `is{…}` request and calls `input.prepareRequest`.
import type { MergedCommand, ResolvedRequest } from '@openexp/catalogs';
import type { RenderSpec } from '../../commands/render-spec';
import type { LayerRaster } from '../render-types';

/**
 * What a layer is drawn from (image-serving.md §3.2 `src`, §3.5 `color`, `text`, nested `is{…}`):
 * - `object`: a catalog record or a path object (`src=`, or the URL's object for layer 0);
 * - `color`: a solid colour (`color=`) of `size=` (default: the composite's size);
 * - `text`: a text layer (`text=`, `textAttr=`) drawn in its `size=` box;
 * - `nested`: a nested request (`src=is{…}`), rendered through the same pipeline.
 */
export type LayerSourceKind = 'object' | 'color' | 'text' | 'nested';

export type { LayerRaster } from '../render-types';

/** Everything a provider may use to prepare a layer's source. */
export interface LayerSourceInput {
  /** Layer key: `comp` for layer 0 (the composite's base), else the layer number (`'1'`, `'2'` …). */
  readonly layer: string;
  /** The layer's merged commands (names lower-case, values decoded; nested values raw, see `MergedCommand.nested`). */
  readonly commands: readonly MergedCommand[];
  /** The layer's validated commands (crop, size, scale, color, opac …), built from {@link commands}. */
  readonly spec: RenderSpec;
  /** The request: its catalog snapshot, main catalog, attributes, variables; resolve objects with `request.resolveObject`. */
  readonly request: ResolvedRequest;
  /** Nesting depth: 0 for a URL request, 1 for a layer of an `is{…}` nested in it, … */
  readonly depth: number;
  /** The composite's size (layer 0's layer rectangle); `undefined` while layer 0 itself is prepared. */
  readonly canvas: { readonly width: number; readonly height: number } | undefined;
  /** True for `req=props`/`req=imageprops`: a missing source is an error even with `DefaultImageMode=1` (§5.5). */
  readonly noDefaultImages?: boolean;
  /**
   * Prepares another request (a nested one) as a layer source: its own layers composited and its
   * view transform applied (`wid`/`hei`/`scl`/`rgn`/`rect` …; no encoding, `bgc` not applied), at
   * depth `depth + 1`. Its key covers every source it reads. The caller resolves the nested
   * request and decides which of its commands to ignore (§3.5).
   */
  readonly prepareRequest: (request: ResolvedRequest) => Promise<PreparedLayerSource>;
}

/**
 * A layer source, checked and ready to draw. Preparing is cheap and does every check that can
 * fail for the caller's mistake (missing file → `IMG_NOT_FOUND`, bad value → usage error naming
 * the layer and the command); drawing does the pixel work, under render admission.
 */
export interface PreparedLayerSource {
  readonly kind: LayerSourceKind;
  /**
   * Identifies the pixels {@link draw} returns, beyond the layer's commands (which the result
   * cache key already holds): e.g. the source file's real path, mtime and size. Goes into the
   * result cache key and so into the ETag; must change whenever the pixels can.
   */
  readonly key: string;
  /**
   * The size of the source before `crop=`/`size=`/`scale=`: the image's full resolution, the
   * colour or text box. Crop and anchor coordinates refer to it.
   */
  readonly source: { readonly width: number; readonly height: number };
  /** The source's anchor in source pixels (`catalog::Anchor`), if it has one; else the engine uses `anchor=` or the centre. */
  readonly anchor?: { readonly x: number; readonly y: number };
  /**
   * True when {@link draw} has already applied `crop=`/`size=`/`scale=` (an object source reads a
   * reduced level that way; a colour or text box is its `size=`): its raster is then
   * `layerSize(spec, cropRect(spec, source))`. False: the raster is the whole `source` and the
   * engine crops and sizes it.
   */
  readonly sized: boolean;
  /**
   * Optional: an image file whose decoded pixels (sRGB) are exactly what {@link draw} returns (an
   * object source without crop, size, mask or level choice). The engine may then composite the
   * other layers onto the file in one sharp pass instead of drawing this layer first.
   */
  readonly file?: string;
  /** With {@link file}: true when the image has no alpha channel, so a composite onto it stays opaque (RGB, no alpha to carry). */
  readonly opaque?: boolean;
  /** Pixels decoded from files to draw it (0 for a colour or text box): counted in the pixel budget. */
  readonly sourcePixels: number;
  /** Draws the raster. Throws `ImageServingError` only (a source that cannot be decoded: `IMG_CORRUPT_SOURCE` …). */
  draw(): Promise<LayerRaster>;
}

/** One kind of layer source. */
export interface LayerSourceProvider {
  prepare(input: LayerSourceInput): Promise<PreparedLayerSource>;
}

/** Injection token of the `text` provider (comp-sources wires it in `PipelineModule`); absent = refused. */
export const TEXT_LAYER_SOURCE = Symbol('TEXT_LAYER_SOURCE');
/** Injection token of the `nested` provider (`src=is{…}`); absent = refused. */
export const NESTED_LAYER_SOURCE = Symbol('NESTED_LAYER_SOURCE');

/** The kind of a layer's source, from its commands: `text=`, then a nested `src=`, then `src=`, then `color=`, else the object. */
export function layerSourceKind(commands: readonly MergedCommand[]): LayerSourceKind {
  const src = commands.find((c) => c.name === 'src');
  if (commands.some((c) => c.name === 'text' || c.name === 'textps')) {
    return 'text';
  }
  if (src?.nested === true || (src !== undefined && /^i[sr]\s*[{(]/i.test(src.value))) {
    return 'nested';
  }
  if (src === undefined && commands.some((c) => c.name === 'color')) {
    return 'color';
  }
  return 'object';
}
