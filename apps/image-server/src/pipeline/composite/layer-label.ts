/** `layer 2: ` for layers other than the composite (prefix of error messages), `''` for layer 0. */
export function layerLabel(layer: string): string {
  return layer === 'comp' ? '' : `layer ${layer}: `;
}
