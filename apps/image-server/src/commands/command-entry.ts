import type { RenderSpec } from './render-spec';

/**
 * Pipeline stage of a command: the pipeline applies stages in this order whatever the order of
 * commands in the URL (image-serving.md §1.6 step 8, §3.2).
 */
export const CommandStage = {
  /** color= (a solid colour layer's fill). */
  Source: 5,
  /** crop/cropN on the source layer. */
  Crop: 10,
  /** scale/size of the layer. */
  LayerSize: 20,
  /** flip, after crop and before rotate/extend. */
  Flip: 30,
  /** rotate around the layer centre; the canvas grows. */
  Rotate: 40,
  /** extend margins. */
  Extend: 50,
  /** bgColor behind the layer. */
  LayerBackground: 60,
  /** opac/hide/maskUse: the layer's alpha. */
  Opacity: 62,
  /** pos/anchor/origin/blendMode: where and how the layer is composited. */
  Placement: 65,
  /** the view transform: rgn, wid/hei/scl/fit/align/bgc, rect. */
  View: 70,
  /** op_* filters, applied to the view image. */
  Filter: 80,
  /** fmt/qlt/resMode/printRes: encoding. */
  Encode: 90,
} as const;

/** Where a command applies: the whole request, or the layer it stands in (§3.2). */
export type CommandScope = 'global' | 'layer';

/**
 * One image command: the names it answers to (lower-case), its stage, and `apply`, which
 * validates the raw value and records it in the spec. `apply` throws a usage
 * `ImageServingError` naming the command and the value: nothing invalid reaches sharp.
 */
export interface CommandEntry {
  /** Lower-case command names (the parser lower-cases names; §1.3). */
  readonly names: readonly string[];
  /** Stage in the pipeline, see {@link CommandStage}. */
  readonly order: number;
  /**
   * `global`: applies to the whole request wherever it stands, also after `layer=1` (§1.6, §3.2);
   * `layer`: belongs to the layer it is written in (`op_*` under `layer=comp` filter the view image).
   */
  readonly scope: CommandScope;
  /** One-line description for docs and `req=resolve` debugging. */
  readonly summary: string;
  /** Validates `value` (as written, after %-decoding) and writes it into `spec`. */
  apply(spec: RenderSpec, value: string, name: string): void;
}
