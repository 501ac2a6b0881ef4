import { Injectable } from '@nestjs/common';
import { ImageServingError } from '@openexp/errors';
import { resolveObjectRequest, type ResolvedRequest } from '@openexp/catalogs';
import { buildRenderSpec, type CommandInput } from '../commands/build-render-spec';
import { renderDefaults } from '../commands/render-defaults';
import { withRes } from '../commands/res-scale';
import type { ErrorCatalog } from '../catalogs/error-catalog';
import type { ObjectRenderPort, ObjectRenderRequest, RenderedObject, ResolvedObject } from './object-render.port';
import { ImageCacheService, type CachedImage, type CacheOutcome, type ServerCacheMode } from '../cache/image-cache.service';
import { CatalogsService } from '../catalogs/catalogs.service';
import { RenderAdmissionService } from '../limits/render-admission.service';
import { applyNegotiation, negotiate, negotiationKey, NOT_NEGOTIATED, type ClientFacts, type Negotiation } from './format-negotiation';
import { CompositeRenderService, needsComposite, type PreparedComposite } from './composite/composite-render.service';
import { WatermarkService } from './composite/watermark.service';
import { hasTransparency } from './composite/raster-ops';
import { ImagePipelineRepository } from './image-pipeline.repository';
import { LevelCacheService } from './level-cache.service';
import type { RenderedImage, RenderJob, SourceInfo } from './render-types';
import { SourceFilesRepository, type SourceStamp } from './source-files.repository';

/** Source versions whose header facts are remembered (a few hundred bytes each). */
const MAX_REMEMBERED_SOURCES = 20_000;
/** Errors of a render that could not read its input: from derived levels, worth one more try from the source. */
const SOURCE_READ_FAILURES = new Set(['IMG_NOT_FOUND', 'IMG_CORRUPT_SOURCE', 'IMG_DECODE_FAILED']);

/** How the request flow renders: request type and server cache use. */
export interface RenderOptions {
  /** `req=tmb`: thumbnail rules (ThumbType, DefaultThumbPix …), `fit=` refused. */
  thumbnail: boolean;
  /** `cache=` server part. */
  serverCache: ServerCacheMode;
  /** Negotiate format and DPR from the client's headers; absent (errors-module renders), nothing is. */
  negotiation?: NegotiationInput;
  /** `req=mask`: the alpha channel as a gray image (a result-cache entry of its own). */
  mask?: boolean;
  /** `req=props`: no default image for a missing layer source (§5.5: default images are for `img`/`tmb`). */
  noDefaultImages?: boolean;
}

/** A rendered reply and where it came from. */
export interface RenderOutcome {
  entry: CachedImage;
  cache: CacheOutcome;
  /** What format and DPR negotiation decided (for the reply's `Vary`/`Accept-CH`). */
  negotiation: Negotiation;
  /** A composite's size and layers (prepared whether or not the reply came from the cache), for `req=props`. */
  composite?: Pick<PreparedComposite, 'canvas' | 'layers'>;
}

/** Format and DPR negotiation of an image request (issue 16). */
export interface NegotiationInput {
  /** The client's `Accept` and DPR hint. */
  client: ClientFacts;
  /** `attribute::Bfc` of the catalog, else `IS_BFC`: negotiate when the request says nothing (`bfc=`). */
  bfc: boolean;
}

/**
 * Renders images: the request flow's entry point ({@link renderResolved}: result cache, single
 * flight, render admission) and the errors module's ({@link resolve}/{@link render}: default and
 * error images, rendered like a request for that object, never cached, subject to the same
 * admission and limits). Every failure is an `ImageServingError`.
 *
 * It `implements` the errors module's {@link ObjectRenderPort} (bound to it in `ErrorsModule`), so
 * the port's types are the only ones for that seam and the compiler checks this class against them.
 */
@Injectable()
export class ImageRenderService implements ObjectRenderPort {
  private readonly infos = new Map<string, Promise<SourceInfo>>();

  constructor(
    private readonly pipeline: ImagePipelineRepository,
    private readonly sources: SourceFilesRepository,
    private readonly cache: ImageCacheService,
    private readonly admission: RenderAdmissionService,
    private readonly catalogs: CatalogsService,
    private readonly levelCache: LevelCacheService,
    private readonly composites: CompositeRenderService,
    private readonly watermarks: WatermarkService,
  ) {}

  /**
   * Renders a resolved request's image (`req=img|tmb|props`). Commands are validated first (a bad
   * value fails before any file is touched); the cache key is the resolved request string, the
   * source file's real path, mtime and size, and the versions of the catalogs involved.
   */
  async renderResolved(req: ResolvedRequest, options: RenderOptions): Promise<RenderOutcome> {
    const job = renderJob(req, options);
    const negotiation = options.negotiation === undefined ? NOT_NEGOTIATED : negotiate(job.spec, options.negotiation.bfc, options.negotiation.client);
    const variant = negotiationKey(negotiation);
    const object = req.object;
    const base = cacheKeyBase(req, options);
    if (needsComposite(req) || this.watermarks.applies(req, options.thumbnail)) {
      return this.renderComposite(req, job, options, negotiation, `${base}${variant}`);
    }
    if (object.kind === 'none') {
      throw new ImageServingError('IMG_NOT_FOUND', 'the request names no image object');
    }
    if (object.filePath === null) {
      const size = job.spec.size;
      if (size === undefined || size.w === 0 || size.h === 0) {
        throw new ImageServingError('IMG_NOT_FOUND', `record ${object.id} has no Path and no size= to draw a template`, { path: object.id });
      }
      applyNegotiation(job.spec, negotiation, false);
      const { entry, outcome } = await this.cache.getOrRender(`${base}${variant}|template`, options.serverCache, () =>
        this.admission.run(async () => split(await this.pipeline.renderCanvas(size.w, size.h, job))),
      );
      return { entry, cache: outcome, negotiation };
    }
    const display = object.displayPath ?? object.id;
    const stamp = await this.sources.stamp(object.filePath, display);
    req.catalogs.assertInsideRoot(stamp.realPath);
    const { version } = stamp;
    const { entry, outcome } = await this.cache.getOrRender(`${base}${variant}|${version}`, options.serverCache, async () => {
      // The header check runs before admission: a bomb is refused at once, even behind a full queue.
      const info = await this.probe(version, stamp.realPath, display);
      applyNegotiation(job.spec, negotiation, info.hasAlpha);
      return this.renderSource(stamp, info, job, display);
    });
    return { entry, cache: outcome, negotiation };
  }

  /**
   * A multi-layer request: every layer is checked and its source stamped before the cache is
   * asked (their versions are in the key, so in the ETag), drawn and composited under one render
   * admission, then viewed and encoded like a single image. Negotiation keeps alpha when the
   * composite has transparent pixels.
   */
  private async renderComposite(req: ResolvedRequest, job: RenderJob, options: RenderOptions, negotiation: Negotiation, base: string): Promise<RenderOutcome> {
    const composite = await this.composites.prepare(req, job);
    // attribute::Watermark goes over the composite, before the view transform (§7).
    const watermark = this.watermarks.applies(req, options.thumbnail) ? await this.watermarks.prepare(req) : undefined;
    const key = watermark === undefined ? composite.key : `${composite.key}|${watermark.key}`;
    const { entry, outcome } = await this.cache.getOrRender(`${base}|${key}`, options.serverCache, () =>
      this.admission.run(async () => {
        const drawn = await composite.draw();
        const raster = watermark === undefined ? drawn : await watermark.apply(drawn);
        // Only a negotiated format that can keep alpha asks whether the composite has transparent pixels (a scan of every pixel).
        const alphaMatters = negotiation.format !== undefined && negotiation.format !== 'jpeg' && job.spec.bgc === undefined;
        applyNegotiation(job.spec, negotiation, alphaMatters && hasTransparency(raster));
        return split(await this.pipeline.renderRaster(raster, job));
      }),
    );
    return { entry, cache: outcome, negotiation, composite: { canvas: composite.canvas, layers: composite.layers } };
  }

  /**
   * Renders from a source file, reading derived levels when the level cache has them; a render
   * that cannot read them is rendered again from the source, and they are not used again.
   */
  private async renderSource(stamp: SourceStamp, info: SourceInfo, job: RenderJob, display: string): Promise<{ body: Buffer; meta: Omit<RenderedImage, 'data'> }> {
    const render = (source: SourceInfo) => this.admission.run(async () => split(await this.pipeline.render(stamp.realPath, source, job, display)));
    const levels = await this.levelCache.levels(stamp, info);
    if (levels === undefined) {
      const reply = await render(info);
      this.levelCache.rendered(stamp, info, job.spec, reply.meta);
      return reply;
    }
    try {
      return await render({ ...info, levels });
    } catch (cause) {
      if (!(cause instanceof ImageServingError) || !SOURCE_READ_FAILURES.has(cause.code)) {
        throw cause;
      }
      this.levelCache.forget(stamp.version, cause);
      return render(info);
    }
  }

  /**
   * Header facts of a source version, remembered per (real path, mtime, size) so a source is
   * probed once, not once per request. A refused source (bomb, unreadable header) is not remembered.
   */
  private probe(version: string, realPath: string, display: string): Promise<SourceInfo> {
    const known = this.infos.get(version);
    if (known !== undefined) {
      return known;
    }
    if (this.infos.size >= MAX_REMEMBERED_SOURCES) {
      this.infos.clear();
    }
    const info = this.pipeline.probe(realPath, display);
    this.infos.set(version, info);
    info.catch(() => this.infos.delete(version));
    return info;
  }

  /**
   * Errors-module seam: resolves an object reference (`DefaultImage`, `ErrorImage`,
   * `defaultImage=`) in a catalog as a request would, without rendering it.
   * @throws ImageServingError `IMG_NOT_FOUND` when the reference is empty.
   */
  resolve(catalog: ErrorCatalog, object: string): Promise<ResolvedObject> {
    return Promise.resolve().then(() => {
      const req = this.resolveObjectRequest(catalog, object, []);
      const record = req.object.record;
      return {
        recordCommands: req.layer().filter((c) => c.source !== 'url').map((c) => ({ name: c.name, value: c.value })),
        template: record !== null && req.object.filePath === null,
        expiration: record?.expiration ?? null,
      };
    });
  }

  /**
   * Errors-module seam: renders an object with its own `Modifier`/`PostModifier` plus `commands`
   * (URL position), exactly like `/is/image/<object>?<commands>` in that catalog, bypassing the
   * result cache (error and default replies have their own caching rules).
   * @throws ImageServingError `IMG_NOT_FOUND` when the object or its file is missing; usage errors for bad commands.
   */
  async render(request: ObjectRenderRequest): Promise<RenderedObject> {
    const req = this.resolveObjectRequest(request.catalog, request.object, request.commands);
    const { entry } = await this.renderResolved(req, { thumbnail: request.thumbnail, serverCache: 'off' });
    return { data: entry.body, width: entry.meta.width, height: entry.meta.height, contentType: entry.meta.contentType };
  }

  private resolveObjectRequest(catalog: ErrorCatalog, object: string, commands: readonly CommandInput[]): ResolvedRequest {
    if (object.trim() === '') {
      throw new ImageServingError('IMG_NOT_FOUND', 'empty object reference');
    }
    // Resolved directly, not rebuilt as a URL: no lock/obfuscation round-trip, and a record found
    // through the default-catalog fallback keeps the requesting catalog's attributes (§1.5).
    return resolveObjectRequest({ rootId: catalog.rootId, object, commands }, this.catalogs.snapshot());
  }
}

/** The render job of a request: its validated commands (`res=` as a scale), the catalog defaults, the request type's rules. */
function renderJob(req: ResolvedRequest, options: RenderOptions): RenderJob {
  return {
    spec: withRes(buildRenderSpec(req.layer(), { thumbnail: options.thumbnail }), req),
    defaults: renderDefaults(req.attributes, req.object.record),
    thumbnail: options.thumbnail,
    mask: options.mask === true,
    noDefaultImages: options.noDefaultImages === true,
  };
}

/** The part of a result-cache key every render of the request shares: reply kind, catalog, resolved request string, catalog versions. */
function cacheKeyBase(req: ResolvedRequest, options: RenderOptions): string {
  const catalogVersion = `${req.catalog.loadedAt.getTime()}.${req.object.catalog.loadedAt.getTime()}`;
  return `${options.mask === true ? 'mask' : options.thumbnail ? 'tmb' : 'img'}|${req.catalog.rootId}|${req.resolvedString()}|${catalogVersion}`;
}

function split(image: RenderedImage): { body: Buffer; meta: Omit<RenderedImage, 'data'> } {
  const { data, ...meta } = image;
  return { body: data, meta };
}
