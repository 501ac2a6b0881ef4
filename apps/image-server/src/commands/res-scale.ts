import { COMPOSITE_LAYER, type ResolvedRequest } from '@openexp/catalogs';
import type { RenderSpec } from './render-spec';

/**
 * `res=` (image-serving.md §3.5 "resolution-based scaling (÷ `catalog::Resolution`)", §4.2, §4.3;
 * Adobe's `res=` page): a layer's source image is scaled by **`res ÷ Resolution`**, where
 * `Resolution` is the source's resolution: the `catalog::Resolution` of the record the layer's
 * image comes from (the path object for layer 0, or the layer's own `src=`), else
 * `attribute::Resolution` of the request's main catalog (§4.2: the default of
 * `catalog::Resolution`; the value `req=imageprops` reports as `image.resolution`). `res=` is
 * `scale=` given in resolution units: `res=36` on a 72-ppi source is `scale=0.5`.
 *
 * As Adobe documents it, `res=` is ignored when the same layer has `scale=`, `size=` or `sizeN=`
 * (they set the size), and on layers without a source image: `color=` boxes, `text=` layers and
 * nested `is{…}` requests (a nested request's own layers can take `res=`). It does not change the
 * reply's print resolution (`printRes=`).
 *
 * Returns `spec` with `scale` set from `res` when `res=` applies (`res` kept, so messages can name
 * it), else `spec` without `res`.
 */
export function withRes(spec: RenderSpec, req: ResolvedRequest, layer: string = COMPOSITE_LAYER): RenderSpec {
  if (spec.res === undefined) {
    return spec;
  }
  const { res, ...rest } = spec;
  if (rest.scale !== undefined || rest.size !== undefined || rest.sizeN !== undefined) {
    return rest;
  }
  const resolution = sourceResolution(req, layer);
  return resolution === undefined ? rest : { ...rest, res, scale: res / resolution };
}

/** The resolution of a layer's source image (see {@link withRes}), or `undefined` when the layer has none (colour, text, nested). */
function sourceResolution(req: ResolvedRequest, layer: string): number | undefined {
  const src = req.command('src', layer);
  if (src?.nested === true || (src === undefined && (req.command('color', layer) ?? req.command('text', layer) ?? req.command('textps', layer)) !== undefined)) {
    return undefined;
  }
  if (src === undefined && layer !== COMPOSITE_LAYER) {
    return undefined;
  }
  try {
    const object = src === undefined ? req.object : req.resolveObject(src.value);
    return object.record?.resolution ?? req.attributes.resolution;
  } catch {
    // A source that cannot be resolved fails where the layer's source is prepared, with its layer named.
    return undefined;
  }
}
