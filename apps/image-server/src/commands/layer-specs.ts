import { COMPOSITE_LAYER, type ResolvedRequest } from '@openexp/catalogs';
import { ImageServingError } from '@openexp/errors';
import { buildRenderSpec } from './build-render-spec';
import { layerName } from './layer-name';
import type { RenderSpec } from './render-spec';

export { layerName };

/**
 * The same error with the layer named in front of its detail (`layer 2: pos=abc: …`), so a
 * failure in one layer of a composite says which one (issue 15 item 3). Code, command, value and
 * path are kept, so the §5 class, status and body are those of the original error.
 */
export function inLayer(layer: string, error: unknown): unknown {
  if (!(error instanceof ImageServingError) || layer === COMPOSITE_LAYER || /^(layer|effect) /.test(error.detail)) {
    return error;
  }
  return new ImageServingError(error.code, `${layerName(layer)}: ${error.detail}`, { command: error.command, value: error.value, path: error.path, cause: error });
}


/** The layers after layer 0 in stacking order: by number, whatever order the request gives them in (`layer=2` is above `layer=1`). */
export function layerKeys(req: ResolvedRequest): string[] {
  return [...new Set(req.commands.filter((c) => c.layer !== COMPOSITE_LAYER && !c.layer.includes('~')).map((c) => c.layer))].sort((a, b) => Number(a) - Number(b));
}

/** The effect layers of a layer (`<parent>~<n>`) with their numbers, lowest first (higher numbers lie above). */
export function effectKeys(req: ResolvedRequest, parent: string): { key: string; n: number }[] {
  const keys = new Set(req.commands.filter((c) => c.layer.startsWith(`${parent}~`)).map((c) => c.layer));
  return [...keys].map((key) => ({ key, n: Number(key.slice(parent.length + 1)) })).sort((a, b) => a.n - b.n);
}

/**
 * The validated commands of one layer after layer 0 (or of an effect layer, keeping only the
 * commands in `only`); a bad value is a usage error naming the layer and the command.
 */
export function buildLayerSpec(req: ResolvedRequest, layer: string, only?: ReadonlySet<string>): RenderSpec {
  try {
    return buildRenderSpec(req.layer(layer).filter((c) => only === undefined || only.has(c.name)), { thumbnail: false });
  } catch (error) {
    throw inLayer(layer, error);
  }
}
