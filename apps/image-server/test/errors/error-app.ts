/**
 * Boots the real image server (`createImageServer`, as main.ts does) on the errors fixture
 * catalogs, for in-process `inject` requests. Each call gets its own app and metrics registry.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createRootLogger, createServiceRuntime, parseConfig, type ServiceRuntime } from '@openexp/service-runtime';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import sharp from 'sharp';
import { imageServerConfigSchema, toImageServerConfig } from '../../src/config/image-server.config';
import { createImageServer } from '../../src/image-server.app';

/** The committed error fixture catalogs. */
export const ERROR_CATALOGS = resolve(__dirname, 'fixtures/catalogs');
/** IS_ROOT_PATH: the image server's committed fixture images (`images/cat/img1.jpg` …). */
export const FIXTURE_ROOT = resolve(__dirname, '../fixtures');

export interface ErrorApp {
  app: NestFastifyApplication;
  runtime: ServiceRuntime;
  get(url: string, headers?: Record<string, string>): Promise<Reply>;
  head(url: string): Promise<Reply>;
  /** GET over a real socket with the path sent byte for byte (no client-side dot-segment normalisation). */
  rawGet(path: string): Promise<Reply>;
  close(): Promise<void>;
}

/** What a test looks at in a reply. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  text: string;
}

export async function startErrorApp(env: Record<string, string> = {}): Promise<ErrorApp> {
  const config = toImageServerConfig(
    parseConfig('image-server', imageServerConfigSchema, {
      IS_CATALOG_ROOT: ERROR_CATALOGS,
      IS_ROOT_PATH: FIXTURE_ROOT,
      IS_LEVEL_CACHE: '0',
      LOG_LEVEL: 'silent',
      ...env,
    }),
  );
  const runtime = createServiceRuntime('image-server', createRootLogger('image-server', config.logLevel));
  const app = await createImageServer(config, runtime);
  await app.getHttpAdapter().getInstance().ready();
  const send = async (method: 'GET' | 'HEAD', url: string, headers: Record<string, string> = {}): Promise<Reply> => {
    const res = await app.inject({ method, url, headers });
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (v !== undefined) {
        flat[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
      }
    }
    return { status: res.statusCode, headers: flat, body: res.rawPayload, text: res.payload };
  };
  let listening: Promise<number> | undefined;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const rawGet = async (path: string): Promise<Reply> => {
    listening ??= app.listen({ port: 0, host: '127.0.0.1' }).then(() => (app.getHttpServer().address() as AddressInfo).port);
    const port = await listening;
    return new Promise<Reply>((done, fail) => {
      const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined) {
              headers[k] = Array.isArray(v) ? v.join(', ') : v;
            }
          }
          done({ status: res.statusCode ?? 0, headers, body, text: body.toString('utf8') });
        });
      });
      req.on('error', fail);
      req.end();
    });
  };
  return {
    app,
    runtime,
    rawGet,
    get: (url, headers) => send('GET', url, headers),
    head: (url) => send('HEAD', url),
    close: async () => {
      agent.destroy();
      await app.close();
    },
  };
}

/** Size, format and mean RGB (rounded to tens, so JPEG noise does not matter) of an image body. */
export async function imageFacts(body: Buffer): Promise<{ width: number; height: number; format: string; mean: number[] }> {
  const meta = await sharp(body).metadata();
  const stats = await sharp(body).removeAlpha().stats();
  return {
    width: meta.width ?? 0,
    height: meta.height ?? 0,
    format: meta.format ?? '',
    mean: stats.channels.slice(0, 3).map((c) => Math.round(c.mean / 10) * 10),
  };
}

/** Counts pixels matching a predicate, e.g. text pixels on a plain background. */
export async function countPixels(body: Buffer, match: (r: number, g: number, b: number) => boolean): Promise<number> {
  const { data, info } = await sharp(body).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let n = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    if (match(data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0)) {
      n++;
    }
  }
  return n;
}

/** The headers every error reply (including a 200 error image) carries (§5.7). */
export const NO_STORE = { 'cache-control': 'no-cache, no-store, max-age=0', expires: 'Thu, 01 Jan 1970 00:00:00 GMT', pragma: 'no-cache' };
