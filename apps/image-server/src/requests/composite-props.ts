import type { Property } from '@openexp/errors';
import type { LayerSummary } from '../pipeline/composite/composite-render.service';

/** What {@link compositeProperties} describes: a prepared composite's size and layers. */
export interface CompositeDescription {
  canvas: { width: number; height: number };
  layers: readonly LayerSummary[];
}

/**
 * A composite described (issue 15), the same lines in `req=props` and `req=imageprops`:
 * `composite.width`/`height` (layer 0's rectangle, before the view transform), `composite.layers`
 * (layer 0 included), and per layer `layer.<n>.kind` (object, color, text, nested), the command
 * that names its source with its value (`layer.<n>.src=red`, `layer.<n>.color=0000ff`; layer 0:
 * `src=` the path object unless it names its own), `layer.<n>.width`/`height` (its rectangle after
 * crop, size, rotate, extend) and `layer.<n>.hide`. Layer 0 is `layer.0`.
 */
export function compositeProperties(c: CompositeDescription): Property[] {
  const props: Property[] = [
    ['composite.width', String(c.canvas.width)],
    ['composite.height', String(c.canvas.height)],
    ['composite.layers', String(c.layers.length)],
  ];
  for (const l of c.layers) {
    const n = l.layer === 'comp' ? '0' : l.layer;
    props.push(
      [`layer.${n}.kind`, l.kind],
      [`layer.${n}.${l.source.command}`, l.source.value],
      [`layer.${n}.width`, String(l.width)],
      [`layer.${n}.height`, String(l.height)],
      [`layer.${n}.hide`, l.hidden ? '1' : '0'],
    );
  }
  return props;
}
