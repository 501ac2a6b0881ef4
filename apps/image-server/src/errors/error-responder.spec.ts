import { ImageServingError, NO_CACHE_HEADERS } from '@openexp/errors';
import { Metrics } from '@openexp/service-runtime';
import pino from 'pino';
import sharp from 'sharp';
import type { CatalogsService } from '../catalogs/catalogs.service';
import type { ImageServerConfig } from '../config/image-server.config';
import { RenderAdmissionService } from '../limits/render-admission.service';
import { TextCanvasRepository } from '../text/text-canvas.repository';
import { DefaultImageService } from './default-image.service';
import type { ErrorCatalog, ErrorCatalogAttributes } from '../catalogs/error-catalog';
import { ErrorImageService } from './error-image.service';
import { ErrorMetrics } from './error-metrics';
import { DEFAULT_IMAGE_HEADER, ERROR_IMAGE_HEADER, ErrorResponder } from './error-responder';
import type { FailureContext } from './failure-context';
import { ObjectRenderPort, type ObjectRenderRequest, type RenderedObject, type ResolvedObject } from '../pipeline/object-render.port';

const text = new TextCanvasRepository();
/** Catalogs that are not loaded: failures without a catalog fall back to the safe defaults. */
const noCatalogs = {
  snapshot: () => {
    throw new Error('catalogs not loaded');
  },
} as unknown as CatalogsService;

/** A renderer over a fixed set of objects; colours stand for images so pixels can be checked. */
type FakeObject = ResolvedObject & { color?: [number, number, number]; size?: [number, number] };

class FakeRenderer extends ObjectRenderPort {
  readonly renders: ObjectRenderRequest[] = [];
  constructor(private readonly objects: Record<string, FakeObject>) {
    super();
  }
  resolve(_catalog: ErrorCatalog, object: string): Promise<FakeObject> {
    const found = this.objects[object];
    return found === undefined
      ? Promise.reject(new ImageServingError('IMG_NOT_FOUND', `no object ${object}`, { path: `images/${object}` }))
      : Promise.resolve(found);
  }
  async render(request: ObjectRenderRequest): Promise<RenderedObject> {
    this.renders.push(request);
    const found = await this.resolve(request.catalog, request.object);
    const wid = Number(request.commands.find((c) => c.name === 'wid')?.value ?? found.size?.[0] ?? 20);
    const [r, g, b] = found.color ?? [0, 0, 0];
    const fmt = request.commands.find((c) => c.name === 'fmt')?.value === 'png' ? 'png' : 'jpeg';
    return text.render({ width: wid, height: wid, background: { r, g, b, alpha: 1 }, format: fmt });
  }
}

const attributes = (over: Partial<ErrorCatalogAttributes> = {}): ErrorCatalogAttributes => ({
  errorDetail: 0,
  errorImage: null,
  defaultImage: null,
  defaultImageMode: 0,
  defaultExpiration: 1,
  ...over,
});

function setup(over: Partial<ErrorCatalogAttributes> = {}, statuses: Partial<ImageServerConfig['errorStatuses']> = {}) {
  const renderer = new FakeRenderer({
    noimage: { recordCommands: [], template: false, expiration: null, color: [0, 200, 0], size: [40, 40] },
    longlived: { recordCommands: [], template: false, expiration: 24, color: [0, 0, 200] },
    errimg: { recordCommands: [], template: false, expiration: null, color: [200, 0, 0], size: [50, 50] },
    onError: {
      recordCommands: [
        { name: 'size', value: '120,60' },
        { name: 'bgc', value: '000000' },
        { name: 'text', value: '{\\rtf1{\\colortbl;\\red255\\green255\\blue255;}\\cf1\\fs24 $error.title$}' },
        { name: 'fmt', value: 'png' },
      ],
      template: true,
      expiration: null,
    },
    broken: { recordCommands: [{ name: 'text', value: 'x' }, { name: 'size', value: 'huge' }], template: true, expiration: null },
  });
  const config = {
    errorStatuses: { notFound: 403, usage: 403, server: 403, overload: 503, ...statuses },
    renders: { maxInFlight: 2, maxQueue: 8 },
    pipeline: { maxRenderPixels: 16_000_000 },
  } as ImageServerConfig;
  const metrics = new Metrics('test');
  const sut = new ErrorResponder(
    config,
    pino({ level: 'silent' }),
    new ErrorMetrics(metrics),
    new DefaultImageService(renderer),
    new ErrorImageService(renderer, text, new RenderAdmissionService(config, metrics), config),
    noCatalogs,
  );
  const catalog: ErrorCatalog = { rootId: 'cat', attributes: attributes(over) };
  const ctx = (more: Partial<FailureContext> = {}): FailureContext => ({
    requestId: 'req-1',
    catalog,
    reqType: 'img',
    format: 'image',
    method: 'GET',
    defaultImage: { carried: {} },
    ...more,
  });
  return { sut, renderer, metrics, ctx };
}

const notFound = () => new ImageServingError('IMG_NOT_FOUND', 'images/cat/missing.jpg does not exist', { path: 'images/cat/missing.jpg' });
const usage = () => new ImageServingError('IMG_INVALID_COMMAND_VALUE', 'wid=abc: not a positive integer', { command: 'wid', value: 'abc' });

/** Mean RGB, rounded to a multiple of 10 so JPEG rounding does not matter. */
async function meanColor(body: Buffer | string) {
  const stats = await sharp(body as Buffer).stats();
  return stats.channels.slice(0, 3).map((c) => Math.round(c.mean / 10) * 10);
}

describe('ErrorResponder', () => {
  it('answers with the plain, non-cacheable error when nothing replaces it', async () => {
    const { sut, ctx } = setup();
    const reply = await sut.respond(usage(), ctx());
    expect(reply.status).toBe(403);
    expect(reply.headers).toMatchObject({ ...NO_CACHE_HEADERS, 'Content-Type': 'text/plain; charset=UTF-8' });
    expect(reply.body).toBe('Invalid request');
  });

  it('applies the server-wide status switches and Retry-After on overload', async () => {
    const { sut, ctx } = setup({}, { notFound: 404, usage: 400, server: 500, overload: 429 });
    expect((await sut.respond(notFound(), ctx({ defaultImage: undefined }))).status).toBe(404);
    expect((await sut.respond(usage(), ctx())).status).toBe(400);
    expect((await sut.respond(new Error('boom'), ctx())).status).toBe(500);
    const busy = await sut.respond(new ImageServingError('IMG_OVERLOADED', 'queue full'), ctx());
    expect(busy.status).toBe(429);
    expect(busy.headers['Retry-After']).toBe('5');
  });

  it('never shows an unknown error\u2019s message, even at level 2', async () => {
    const { sut, ctx } = setup({ errorDetail: 2 });
    const reply = await sut.respond(new Error('connect ECONNREFUSED /var/run/secret.sock'), ctx({ format: 'text', reqType: 'props' }));
    expect(String(reply.body)).not.toContain('secret');
    expect(String(reply.body)).toMatch(/^Server error\n/);
  });

  it('writes bodies in the requested format, JSONP through s7jsonError with the id echoed', async () => {
    const { sut, ctx } = setup({ errorDetail: 2 });
    const json = await sut.respond(notFound(), ctx({ reqType: 'props', format: 'json', jsonpId: 'abc' }));
    expect(json.headers['Content-Type']).toBe('text/javascript; charset=UTF-8');
    expect(json.body).toBe('/*jsonp*/s7jsonError({"message":"images/cat/missing.jpg does not exist","title":"Image not found"},"abc");');
    const xml = await sut.respond(notFound(), ctx({ reqType: 'props', format: 'xml' }));
    expect(String(xml.body)).toContain('<prop-group name="error">');
    const js = await sut.respond(notFound(), ctx({ reqType: 'props', format: 'javascript' }));
    expect(js.body).toBe("error.title='Image not found'\nerror.message='images/cat/missing.jpg does not exist'\n");
  });

  it('never throws: a failure inside the responder still gives the generic server error', async () => {
    const { sut, ctx } = setup();
    const broken = Object.defineProperty(ctx(), 'reqType', {
      get: () => {
        throw new Error('bug');
      },
    });
    const reply = await sut.respond(usage(), broken);
    expect(reply).toMatchObject({ status: 403, body: 'Server error', headers: NO_CACHE_HEADERS });
  });

  it('answers HEAD like GET, so Content-Length matches', async () => {
    const { sut, ctx } = setup();
    // Fastify drops the body of a HEAD reply after taking Content-Length from it.
    const reply = await sut.respond(usage(), ctx({ method: 'HEAD' }));
    expect(reply).toMatchObject({ status: 403, body: 'Invalid request' });
  });

  describe('default images', () => {
    it('replaces a missing image with the catalog DefaultImage, carrying wid/hei/fmt/qlt only, with DefaultExpiration', async () => {
      const { sut, renderer, ctx, metrics } = setup({ defaultImage: 'noimage' });
      const reply = await sut.respond(notFound(), ctx({ defaultImage: { carried: { wid: '30', fmt: 'png' } } }));
      expect(reply.status).toBe(200);
      expect(reply.headers).toMatchObject({ 'Content-Type': 'image/png', 'Cache-Control': 'public, max-age=3600', [DEFAULT_IMAGE_HEADER]: 'image-not-found; source=attribute' });
      expect(reply.headers.ETag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(await meanColor(reply.body)).toEqual([0, 200, 0]);
      expect(renderer.renders[0]?.commands).toEqual([
        { name: 'wid', value: '30' },
        { name: 'fmt', value: 'png' },
      ]);
      expect(await metrics.registry.getSingleMetricAsString('image_default_image_substitutions_total')).toMatch(/req_type="img",reason="attribute"[^}]*} 1/);
    });

    it('uses the default record\u2019s own Expiration when it has one', async () => {
      const { sut, ctx } = setup({ defaultImage: 'longlived' });
      expect((await sut.respond(notFound(), ctx())).headers['Cache-Control']).toBe('public, max-age=86400');
    });

    it('lets defaultImage= override the attribute, and an empty value disable it', async () => {
      const { sut, ctx } = setup({ defaultImage: 'noimage' });
      const over = await sut.respond(notFound(), ctx({ defaultImage: { command: 'longlived', carried: {} } }));
      expect(over.headers[DEFAULT_IMAGE_HEADER]).toBe('image-not-found; source=command');
      expect(await meanColor(over.body)).toEqual([0, 0, 200]);
      const off = await sut.respond(notFound(), ctx({ defaultImage: { command: '', carried: {} } }));
      expect(off.status).toBe(403);
    });

    it('applies to req=img and req=tmb only, and only to missing images', async () => {
      const { sut, ctx, renderer } = setup({ defaultImage: 'noimage' });
      expect((await sut.respond(notFound(), ctx({ reqType: 'tmb' }))).status).toBe(200);
      expect(renderer.renders.at(-1)?.thumbnail).toBe(true);
      expect((await sut.respond(notFound(), ctx({ reqType: 'props', format: 'text' }))).status).toBe(403);
      expect((await sut.respond(usage(), ctx())).status).toBe(403);
    });

    it('does not recurse when the default image is itself missing', async () => {
      const { sut, ctx } = setup({ defaultImage: 'gone' });
      const reply = await sut.respond(notFound(), ctx());
      expect(reply.status).toBe(403);
      expect(reply.body).toBe('Image not found');
    });
  });

  describe('error images', () => {
    it('serves the ErrorImage record with status 200, no-cache headers and the error code', async () => {
      const { sut, ctx } = setup({ errorImage: 'errimg' });
      const reply = await sut.respond(usage(), ctx());
      expect(reply.status).toBe(200);
      expect(reply.headers).toMatchObject({ ...NO_CACHE_HEADERS, 'Content-Type': 'image/jpeg', [ERROR_IMAGE_HEADER]: 'IMG_INVALID_COMMAND_VALUE' });
      expect(reply.headers.ETag).toBeUndefined();
      expect(await meanColor(reply.body)).toEqual([200, 0, 0]);
    });

    it('draws text templates with the title substituted', async () => {
      const { sut, ctx } = setup({ errorImage: 'onError' });
      const reply = await sut.respond(usage(), ctx());
      expect(reply.headers['Content-Type']).toBe('image/png');
      const meta = await sharp(reply.body as Buffer).metadata();
      expect([meta.width, meta.height]).toEqual([120, 60]);
      const [r = 0] = await meanColor(reply.body);
      expect(r).toBeGreaterThan(5); // white text pixels on black
    });

    it('is not used for non-image formats or overload', async () => {
      const { sut, ctx } = setup({ errorImage: 'errimg' });
      expect((await sut.respond(usage(), ctx({ reqType: 'props', format: 'xml' }))).status).toBe(403);
      expect((await sut.respond(new ImageServingError('IMG_OVERLOADED', 'full'), ctx())).status).toBe(503);
    });

    it('falls back to the plain error for the original failure when the error image fails', async () => {
      for (const errorImage of ['missing-errimg', 'broken']) {
        const { sut, ctx } = setup({ errorImage });
        const reply = await sut.respond(usage(), ctx());
        expect(reply.status).toBe(403);
        expect(reply.body).toBe('Invalid request');
      }
    });

    it('comes after the default image for missing images', async () => {
      const { sut, ctx } = setup({ errorImage: 'errimg', defaultImage: 'gone' });
      const reply = await sut.respond(notFound(), ctx());
      expect(reply.headers[ERROR_IMAGE_HEADER]).toBe('IMG_NOT_FOUND');
    });
  });
});
