import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReactorError } from '@openexp/errors';
import sharp from 'sharp';
import { PyramidConverter } from './pyramid-converter';

// Real sharp on small images: what a published pyramid holds for each kind of source.
describe('PyramidConverter', () => {
  const converter = new PyramidConverter({ maxInputPixels: 1_000_000, failOn: 'error', quality: 90, tileSize: 64 });
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pyramid-converter-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const base = () => sharp({ create: { width: 300, height: 200, channels: 3, background: '#336699' } });
  const publish = async (name: string, data: Buffer) => {
    const file = join(dir, name);
    writeFileSync(file, data);
    const source = await converter.inspect(file, name);
    const out = await converter.convert(file, source, `${file}.tif`, name);
    return { source, out, meta: await sharp(`${file}.tif`).metadata() };
  };

  it.each([
    ['a CMYK JPEG', () => base().toColourspace('cmyk').jpeg().toBuffer(), 'jpeg', 3],
    ['a 16-bit PNG', () => base().toColourspace('rgb16').png().toBuffer(), 'png', 3],
    ['a grey PNG', () => base().greyscale().png().toBuffer(), 'png', 3],
    ['a GIF with transparency', () => sharp({ create: { width: 300, height: 200, channels: 4, background: '#ff000080' } }).gif().toBuffer(), 'gif', 4],
    ['a WebP', () => base().webp().toBuffer(), 'webp', 3],
  ])('converts %s to an 8-bit sRGB pyramid with the sRGB profile', async (name, make, format, channels) => {
    const { source, out, meta } = await publish(name.replace(/\W/g, '_'), await make());
    expect(source.format).toBe(format);
    expect(out).toMatchObject({ width: 300, height: 200, channels });
    expect(meta).toMatchObject({ format: 'tiff', space: 'srgb', depth: 'uchar', channels });
    expect(meta.pages).toBeGreaterThan(1);
    expect(meta.icc).toBeDefined();
  });

  it('applies the EXIF orientation to the pixels (a 6 turns 300×200 into 200×300)', async () => {
    const { source, out, meta } = await publish('rotated.jpg', await base().jpeg().withMetadata({ orientation: 6 }).toBuffer());
    expect([source.width, source.height, out.width, out.height]).toEqual([200, 300, 200, 300]);
    expect(meta.orientation ?? 1).toBe(1);
  });

  it.each([
    ['an SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'), 'asset-unsupported-format'],
    ['random bytes', Buffer.from('not an image at all'), 'asset-unsupported-format'],
  ])('refuses %s before decoding it', async (name, data, code) => {
    const file = join(dir, name.replace(/\W/g, '_'));
    writeFileSync(file, data);
    const error: unknown = await converter.inspect(file, name).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReactorError);
    expect((error as ReactorError).code).toBe(code);
  });
});
