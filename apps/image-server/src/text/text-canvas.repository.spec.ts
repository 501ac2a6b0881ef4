import sharp from 'sharp';
import { TextLayerError } from './rtf-subset';
import { TextCanvasRepository } from './text-canvas.repository';

const sut = new TextCanvasRepository();

async function pixels(data: Buffer) {
  const { data: raw, info } = await sharp(data).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => {
    const i = (y * info.width + x) * info.channels;
    return [raw[i], raw[i + 1], raw[i + 2]];
  };
  let dark = 0;
  let red = 0;
  for (let i = 0; i < raw.length; i += info.channels) {
    const [r = 0, g = 0, b = 0] = [raw[i], raw[i + 1], raw[i + 2]];
    if (r < 100 && g < 100 && b < 100) {
      dark++;
    }
    if (r > 180 && g < 80 && b < 80) {
      red++;
    }
  }
  return { info, at, dark, red };
}

describe('TextCanvasRepository', () => {
  it('fills the canvas with the background colour when there is no text', async () => {
    const out = await sut.render({ width: 40, height: 30, background: { r: 0, g: 128, b: 255, alpha: 1 }, format: 'png' });
    expect(out).toMatchObject({ width: 40, height: 30, contentType: 'image/png' });
    const p = await pixels(out.data);
    expect(p.at(20, 15)).toEqual([0, 128, 255]);
  });

  it('draws plain text in black on the canvas', async () => {
    const out = await sut.render({ width: 200, height: 60, background: { r: 255, g: 255, b: 255, alpha: 1 }, text: 'Image not found', format: 'png' });
    const p = await pixels(out.data);
    expect(p.dark).toBeGreaterThan(20);
    expect(p.at(199, 59)).toEqual([255, 255, 255]);
  });

  it('draws RTF with colour, centring and vertical centring', async () => {
    const rtf = '{\\rtf1{\\colortbl;\\red255\\green0\\blue0;}\\vertalc\\qc\\fs40\\cf1 X}';
    const out = await sut.render({ width: 200, height: 200, background: { r: 255, g: 255, b: 255, alpha: 1 }, text: rtf, format: 'png' });
    const p = await pixels(out.data);
    expect(p.red).toBeGreaterThan(20);
    // Centred: the corners and the edges stay background.
    expect(p.at(2, 100)).toEqual([255, 255, 255]);
    expect(p.at(100, 2)).toEqual([255, 255, 255]);
    expect(p.at(197, 100)).toEqual([255, 255, 255]);
  });

  it('wraps long text to the layer width and clips what does not fit', async () => {
    const text = 'word '.repeat(200);
    const out = await sut.render({ width: 120, height: 50, background: { r: 255, g: 255, b: 255, alpha: 1 }, text, format: 'jpeg', quality: 90 });
    expect(out).toMatchObject({ width: 120, height: 50, contentType: 'image/jpeg' });
  });

  it('rejects canvas sizes outside the limits', async () => {
    await expect(sut.render({ width: 0, height: 10, background: { r: 0, g: 0, b: 0, alpha: 1 }, format: 'png' })).rejects.toThrow(TextLayerError);
    await expect(sut.render({ width: 5000, height: 10, background: { r: 0, g: 0, b: 0, alpha: 1 }, format: 'png' })).rejects.toThrow(TextLayerError);
  });
});
