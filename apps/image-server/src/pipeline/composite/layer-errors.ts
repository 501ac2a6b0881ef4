import { inLayer } from '../../commands/layer-specs';

export { inLayer };

/** Runs `work`, naming the layer in any `ImageServingError` it throws. */
export async function withLayer<T>(layer: string, work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw inLayer(layer, error);
  }
}
