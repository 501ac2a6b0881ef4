import type { MergedCommand, ResolvedRequest } from '@openexp/catalogs';
import { ImageServingError } from '@openexp/errors';
import { buildRenderSpec } from '../../commands/build-render-spec';
import { TextRasterRepository } from '../../text/text-raster.repository';
import type { LayerSourceInput } from './layer-source';
import { TextLayerSource, textLayerSpec } from './text-layer-source';

const cmd = (name: string, value: string): MergedCommand => ({ name: name.toLowerCase(), originalName: name, value, source: 'url', layer: '1', nested: false, macro: null });
const input = (commands: MergedCommand[]): LayerSourceInput => ({
  layer: '1',
  commands,
  spec: buildRenderSpec(commands, { thumbnail: false }),
  request: {} as ResolvedRequest,
  depth: 0,
  canvas: { width: 100, height: 80 },
  prepareRequest: () => Promise.reject(new Error('not used')),
});

describe('TextLayerSource', () => {
  const sut = new TextLayerSource(new TextRasterRepository());

  it('takes the last text=/textPs=, textAttr= and size= as the box', () => {
    expect(textLayerSpec(input([cmd('text', 'a'), cmd('textPs', 'b'), cmd('textAttr', '144,off'), cmd('size', '60,40')]))).toEqual({
      text: 'b', box: { w: 60, h: 40 }, res: 144, antiAliasing: 'off', resMode: 'fixedRes', wrap: 'wrap',
    });
    expect(textLayerSpec(input([cmd('text', 'a')]))).toMatchObject({ box: { w: 0, h: 0 }, res: 72, resMode: 'fixedRes' });
  });

  it('gives the size= box as the source without drawing, and the text\'s own size without size=', async () => {
    const boxed = await sut.prepare(input([cmd('text', 'Hello'), cmd('size', '60,40')]));
    expect(boxed).toMatchObject({ kind: 'text', key: '', sized: true, sourcePixels: 0, source: { width: 60, height: 40 } });
    expect(await sut.prepare(input([cmd('text', 'Hello'), cmd('size', '60,40'), cmd('scale', '2')]))).toMatchObject({ sized: false });
    const raster = await boxed.draw();
    expect([raster.width, raster.height]).toEqual([60, 40]);
    const auto = await sut.prepare(input([cmd('text', 'Hello')]));
    const drawn = await auto.draw();
    expect(auto.source).toEqual({ width: drawn.width, height: drawn.height });
    expect(drawn.width).toBeGreaterThan(20);
  });

  it('turns what cannot be drawn into a usage error naming the command, and refuses bad textAttr=', async () => {
    await expect(sut.prepare(input([cmd('textPs', 'x'), cmd('size', '4001,10')])).then((p) => p.draw())).rejects.toMatchObject({ code: 'IMG_INVALID_COMMAND_VALUE', command: 'textPs' });
    await expect(sut.prepare(input([cmd('text', 'x'), cmd('textAttr', '0')]))).rejects.toBeInstanceOf(ImageServingError);
  });
});
