import { Injectable } from '@nestjs/common';
import { ImageServingError } from '@openexp/errors';
import { colorToHex } from '../../commands/color';
import { cropRect, layerSize, TRANSPARENT } from '../layer-stage';
import type { LayerSourceInput, LayerSourceProvider, PreparedLayerSource } from './layer-source';
import { solidRaster } from './raster-ops';

/**
 * Solid colour layers (`color=`, §3.5): a box of `size=` (a 0 side, or no `size=`, takes the
 * composite's side) filled with the colour. Layer 0 of a template record without an image
 * (`catalog::Path` empty) is such a box, transparent, of its `size=`.
 */
@Injectable()
export class ColorLayerSource implements LayerSourceProvider {
  prepare(input: LayerSourceInput): Promise<PreparedLayerSource> {
    return Promise.resolve().then(() => this.box(input));
  }

  private box(input: LayerSourceInput): PreparedLayerSource {
    const { spec, canvas } = input;
    const width = spec.size !== undefined && spec.size.w > 0 ? spec.size.w : canvas?.width;
    const height = spec.size !== undefined && spec.size.h > 0 ? spec.size.h : canvas?.height;
    const color = spec.color ?? TRANSPARENT;
    if (width === undefined || height === undefined) {
      const value = spec.size === undefined ? colorToHex(color) : `${spec.size.w},${spec.size.h}`;
      const command = spec.size === undefined ? 'color' : 'size';
      throw new ImageServingError('IMG_INVALID_COMMAND_VALUE', `${command}=${value}: a colour layer 0 needs size=w,h with both sides`, { command, value });
    }
    return {
      kind: 'color',
      key: '',
      source: { width, height },
      sized: true,
      sourcePixels: 0,
      draw: () => {
        const size = layerSize(spec, cropRect(spec, width, height));
        return Promise.resolve(solidRaster(size.w, size.h, color));
      },
    };
  }
}
