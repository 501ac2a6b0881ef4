import { Injectable } from '@nestjs/common';
import { ImageServingError } from '@openexp/errors';
import { TextLayerError } from '../../text/rtf-subset';
import { DEFAULT_TEXT_ATTR, parseTextAttr, type TextLayerSpec } from '../../text/text-layer-spec';
import { TextRasterRepository } from '../../text/text-raster.repository';
import type { LayerRaster, LayerSourceInput, LayerSourceProvider, PreparedLayerSource } from './layer-source';

/**
 * Text layers (`text=` / `textPs=`, `textAttr=`, `size=`; image-serving.md §3.5): the RTF subset
 * the error images draw (`\fs`, `\b`, `\i`, `\ul`, `\cf` with `\colortbl`, `\f` with `\fonttbl`,
 * `\ql|\qc|\qr`, `\vertalt|c|b`, `\par`, `\line` …) or plain text, drawn on a transparent box so it
 * composites. `size=w,h` is the box; without it the box is the text's own size, with `size=w,0`
 * the text wraps at `w` and the box grows to it. The source is the box (already the layer's size
 * unless `crop=`/`scale=` are given, see `PreparedLayerSource.sized`): `crop=`, `scale=`,
 * `rotate=`, `pos=` … apply to it like to any layer. The pixels depend only on the commands (in
 * the cache key), so the key is empty. A value that cannot be drawn (a box over 4000 pixels, RTF
 * nested too deep, text too large) is a usage error naming the command.
 */
@Injectable()
export class TextLayerSource implements LayerSourceProvider {
  constructor(private readonly text: TextRasterRepository) {}

  async prepare(input: LayerSourceInput): Promise<PreparedLayerSource> {
    const spec = textLayerSpec(input);
    const command = input.commands.filter((c) => c.name === 'text' || c.name === 'textps').at(-1);
    const draw = () => this.draw(spec, command?.originalName ?? 'text');
    // The raster is the box, which is the layer's size unless crop= or scale= change it: then the engine crops and sizes it.
    const base = { kind: 'text', key: '', sized: input.spec.crop === undefined && input.spec.scale === undefined, sourcePixels: 0 } as const;
    if (spec.box.w > 0 && spec.box.h > 0) {
      return { ...base, source: { width: spec.box.w, height: spec.box.h }, draw };
    }
    // The box's size is the text's: known once it is laid out, which is the drawing itself.
    const raster = await draw();
    return { ...base, source: { width: raster.width, height: raster.height }, draw: () => Promise.resolve(raster) };
  }

  private async draw(spec: TextLayerSpec, command: string): Promise<LayerRaster> {
    try {
      return await this.text.draw(spec);
    } catch (error) {
      if (error instanceof TextLayerError) {
        throw new ImageServingError('IMG_INVALID_COMMAND_VALUE', `${command}=${abbreviate(spec.text)}: ${error.message}`, { command, value: spec.text });
      }
      throw error;
    }
  }
}

/** The text layer a layer's commands describe: the last `text=`/`textPs=`, `textAttr=` (Adobe's defaults), `size=` as the box. */
export function textLayerSpec(input: Pick<LayerSourceInput, 'commands' | 'spec'>): TextLayerSpec {
  const text = input.commands.filter((c) => c.name === 'text' || c.name === 'textps').at(-1)?.value ?? '';
  const attr = input.commands.find((c) => c.name === 'textattr');
  return {
    text,
    box: input.spec.size ?? { w: 0, h: 0 },
    ...(attr === undefined ? DEFAULT_TEXT_ATTR : parseTextAttr(attr.value, attr.originalName)),
  };
}

function abbreviate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
