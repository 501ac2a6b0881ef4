import { ImageServingError } from '@openexp/errors';
import { layerLabel } from './layer-label';

/**
 * The same error with the layer named in front of its detail (`layer 2: pos=abc: …`), so a
 * failure in one layer of a composite says which one (issue 15 item 3). Code, command, value and
 * path are kept, so the §5 class, status and body are those of the original error.
 */
export function inLayer(layer: string, error: unknown): unknown {
  if (!(error instanceof ImageServingError) || layer === 'comp' || error.detail.startsWith('layer ')) {
    return error;
  }
  return new ImageServingError(error.code, `${layerLabel(layer)}${error.detail}`, { command: error.command, value: error.value, path: error.path, cause: error });
}

/** Runs `work`, naming the layer in any `ImageServingError` it throws. */
export async function withLayer<T>(layer: string, work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw inLayer(layer, error);
  }
}
