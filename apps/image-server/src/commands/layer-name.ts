import { COMPOSITE_LAYER } from '@openexp/catalogs';

/** How messages name a layer key: `layer 2`, `layer 2, effect -1`, `effect 1` (an effect of layer 0). */
export function layerName(layer: string): string {
  const [parent = '', effect] = layer.split('~');
  if (effect === undefined) {
    return `layer ${parent}`;
  }
  return parent === COMPOSITE_LAYER ? `effect ${effect}` : `layer ${parent}, effect ${effect}`;
}
