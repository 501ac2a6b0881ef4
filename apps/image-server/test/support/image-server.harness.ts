import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createRootLogger, createServiceRuntime, parseConfig } from '@openexp/service-runtime';
import { join } from 'node:path';
import sharp from 'sharp';
import { imageServerConfigSchema, toImageServerConfig } from '../../src/config/image-server.config';
import { createImageServer } from '../../src/image-server.app';

/** The fixture catalog of image-serving.md §10 (plus extra records and catalogs, see catalog/*.ini). */
export const FIXTURES = join(__dirname, '..', 'fixtures');

/** A reply as the tests see it. */
export interface TestReply {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: Buffer;
  text: string;
}

/** The real image server, in-process, on the fixture catalog; requests go through Fastify `inject`. */
export class ImageServerHarness {
  private constructor(readonly app: NestFastifyApplication) {}

  static async start(env: Record<string, string> = {}): Promise<ImageServerHarness> {
    const config = toImageServerConfig(
      parseConfig('image-server', imageServerConfigSchema, {
        IS_CATALOG_ROOT: join(FIXTURES, 'catalog'),
        IS_ROOT_PATH: FIXTURES,
        IS_WATCH_CATALOGS: '0',
        // On by default in the server; off here, so a reply never depends on background derivation (level-cache.int-spec.ts turns it on).
        IS_LEVEL_CACHE: '0',
        LOG_LEVEL: 'silent',
        ...env,
      }),
    );
    const runtime = createServiceRuntime('image-server', createRootLogger('image-server', 'silent'));
    return new ImageServerHarness(await createImageServer(config, runtime));
  }

  async get(url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET'): Promise<TestReply> {
    const res = await this.app.getHttpAdapter().getInstance().inject({ method, url, headers });
    return { status: res.statusCode, headers: res.headers, body: res.rawPayload, text: res.payload };
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}

/** Decoded pixels of an encoded image, with a pixel reader. */
export async function pixels(body: Buffer): Promise<{ width: number; height: number; channels: number; format: string; at(x: number, y: number): number[] }> {
  const meta = await sharp(body).metadata();
  const { data, info } = await sharp(body).raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    channels: meta.channels ?? info.channels,
    format: meta.format ?? '',
    at: (x, y) => Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x + 1) * info.channels)),
  };
}

/** The Compression tag (259) of the first IFD of a TIFF file. */
export function tiffCompression(tiff: Buffer): number | undefined {
  const le = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const ifd = u32(4);
  for (let i = 0; i < u16(ifd); i++) {
    const entry = ifd + 2 + i * 12;
    if (u16(entry) === 259) {
      return u16(entry + 8);
    }
  }
  return undefined;
}

/** True when every channel of `actual` is within `tolerance` of `expected` (JPEG is lossy). */
export function near(actual: readonly number[], expected: readonly number[], tolerance = 12): boolean {
  return expected.every((v, i) => Math.abs((actual[i] ?? -999) - v) <= tolerance);
}

/** Colours of the quadrants of img1.jpg (see fixtures/make-fixtures.mjs). */
export const RED = [255, 0, 0];
export const GREEN = [0, 255, 0];
export const BLUE = [0, 0, 255];
export const YELLOW = [255, 255, 0];
export const WHITE = [255, 255, 255];

/** Mean absolute difference per channel value (0-255) of two replies of the same size and channels. */
export async function meanDifference(a: Buffer, b: Buffer): Promise<number> {
  const raw = (body: Buffer) => sharp(body).raw().toBuffer({ resolveWithObject: true });
  const [x, y] = await Promise.all([raw(a), raw(b)]);
  expect(y.info).toEqual(x.info);
  let sum = 0;
  x.data.forEach((v, i) => {
    sum += Math.abs(v - (y.data[i] ?? 0));
  });
  return sum / x.data.length;
}
