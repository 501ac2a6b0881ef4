import { resolveNestedRequest, type MergedCommand } from '@openexp/catalogs';
import sharp, { type Sharp } from 'sharp';
import { IMAGE_COMMAND_ROUTING } from '../../commands/command-table';
import type { RenderSpec } from '../../commands/render-spec';
import { applyCropAndSize, cropMisses, cropRect, layerSize, TRANSPARENT } from '../layer-stage';
import type { LayerRaster, LayerSourceInput } from './layer-source';

/**
 * A layer's mask (`mask=`, `catalog::MaskPath`), checked and ready to draw: one gray channel of
 * the layer's size (255 keeps the layer's pixel, 0 removes it).
 */
export interface LayerMask {
  /** What the mask's pixels depend on (file version, or the nested request and its sources): in the cache key. */
  readonly key: string;
  /** Pixels decoded to draw it, for the pixel budget. */
  readonly pixels: number;
  /** The mask for a layer drawn from a `source`-sized image with the layer's `spec` (crop, size). */
  draw(source: { width: number; height: number }, spec: RenderSpec): Promise<Buffer>;
}

/**
 * `mask=is{…}` (image-serving.md §3.5; Adobe: nested requests serve "layer images and layer
 * masks"): the nested request is resolved and rendered like a nested `src=` (same rules, depth
 * limit, outer variables), and its result is the mask image: stretched to the layer's source
 * size, cropped and sized like the layer, its gray value times its alpha (transparent = masked out).
 */
export async function nestedMask(input: LayerSourceInput, ref: MergedCommand): Promise<LayerMask> {
  const nested = resolveNestedRequest(ref.value, input.request, { routing: IMAGE_COMMAND_ROUTING, command: ref.originalName });
  const prepared = await input.prepareRequest(nested);
  return {
    key: `nested:${prepared.key}`,
    pixels: prepared.sourcePixels,
    draw: async (source, spec) => grayMask(await prepared.draw(), source, spec),
  };
}

async function grayMask(r: LayerRaster, source: { width: number; height: number }, spec: RenderSpec): Promise<Buffer> {
  const size = layerSize(spec, cropRect(spec, source.width, source.height));
  if (cropMisses(spec, source.width, source.height)) {
    return Buffer.alloc(size.w * size.h);
  }
  let input: Sharp = sharp(r.data, { raw: { width: r.width, height: r.height, channels: 4 } });
  if (r.width !== source.width || r.height !== source.height) {
    const stretched = await input.resize(source.width, source.height, { fit: 'fill' }).raw().toBuffer();
    input = sharp(stretched, { raw: { width: source.width, height: source.height, channels: 4 } });
  }
  // Padding of a crop outside the mask, and transparent pixels, flatten onto black: masked out.
  return applyCropAndSize(input, { ...spec, bgColor: TRANSPARENT }, source.width, source.height)
    .flatten({ background: '#000000' })
    .toColourspace('b-w')
    .extractChannel(0)
    .raw({ depth: 'uchar' })
    .toBuffer();
}
