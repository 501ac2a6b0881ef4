import { Inject, Injectable } from '@nestjs/common';
import type { CatalogAttributes, PixelPair, ResolvedRequest } from '@openexp/catalogs';
import { encodePropertyBody, formatProperties, ImageServingError, type Property } from '@openexp/errors';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Logger } from 'pino';
import { buildRenderSpec } from '../commands/build-render-spec';
import { buildLayerSpec, layerKeys } from '../commands/layer-specs';
import type { PlainResponse } from '../errors';
import type { CachePolicy } from '../http/cache-headers';
import { md5Etag, successResponse } from '../http/reply';
import { renderDefaults } from '../commands/render-defaults';
import { withRes } from '../commands/res-scale';
import { CompositeRenderService, needsComposite } from '../pipeline/composite/composite-render.service';
import { ImagePipelineRepository } from '../pipeline/image-pipeline.repository';
import { SourceFilesRepository } from '../pipeline/source-files.repository';
import { compositeProperties } from './composite-props';
import { jsonpOptions } from './image-replies.service';
import { propertyDataReply } from './property-data.replies';
import { resolveText } from './resolve-reply';
import { imageTtlHours, lastModifiedOf, type ImageHttpRequest, type RequestScope } from './request-context';
import { parseCache, type PropertyFormat } from './request-type';

const TEXT = 'text/plain; charset=UTF-8';
const NOT_CACHEABLE: CachePolicy = { ttlHours: null, client: false };
const pair = (p: PixelPair): string => `${p[0]},${p[1]}`;

/** The copyright line of `GET /is/image` (§2 "No object and no modifiers"). */
export const COPYRIGHT = 'Copyright (c) openexp contributors. Compatible with Adobe Dynamic Media Image Serving. Apache-2.0.';

/**
 * The non-image request types (image-serving.md §2): `imageprops`, `exists`, `catalogprops`,
 * `userdata`, `validate`, `resolve`, `message`, and the bare `/is/image` banner.
 */
@Injectable()
export class PropertyRepliesService {
  private readonly log: Logger;

  constructor(
    private readonly pipeline: ImagePipelineRepository,
    private readonly sources: SourceFilesRepository,
    private readonly composites: CompositeRenderService,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.log = rootLogger.child({ component: 'image-requests' });
  }

  /** `GET /is/image`: `#S7Z OK`, the date, and `copyright=…`. */
  banner(http: ImageHttpRequest, now: Date, defaults: CatalogAttributes): PlainResponse {
    const { contentType, body } = formatProperties([['copyright', COPYRIGHT]], 'text', { date: now });
    return this.reply({ http, now }, contentType, body, { ttlHours: defaults.nonImgExpiration, client: true });
  }

  /**
   * `req=imageprops`: properties of the source image itself (commands are ignored); for a
   * composite also `composite.*` and `layer.<n>.*` (see {@link compositeProps}).
   */
  async imageProps(scope: RequestScope, format: PropertyFormat): Promise<PlainResponse> {
    const { resolved } = scope;
    const o = resolved.object;
    const composite = needsComposite(resolved) ? await this.compositeProps(resolved) : [];
    if (composite.length > 0 && o.filePath === null) {
      return this.properties(scope, format, composite, resolved.attributes.nonImgExpiration);
    }
    if (o.kind === 'none' || o.filePath === null) {
      throw new ImageServingError('IMG_NOT_FOUND', o.kind === 'none' ? 'the request names no image object' : `record ${o.id} has no image file`, { path: o.id });
    }
    const display = o.displayPath ?? o.id;
    const stamp = await this.sources.stamp(o.filePath, display);
    resolved.catalogs.assertInsideRoot(stamp.realPath);
    const info = await this.pipeline.probe(stamp.realPath, display);
    const r = o.record;
    const a = resolved.attributes;
    const props: Property[] = [
      ['image.width', String(info.width)],
      ['image.height', String(info.height)],
      ['image.anchor', r?.anchor ? pair(r.anchor) : `${Math.floor(info.width / 2)},${Math.floor(info.height / 2)}`],
      ['image.expiration', String(imageTtlHours(resolved))],
      ['image.iccProfile', ''],
      ['image.embeddedIccProfile', info.hasProfile ? '1' : '0'],
      ['image.embeddedPhotoshopPaths', '0'],
      ['image.embeddedXmpData', '0'],
      ['image.mask', info.hasAlpha ? '2' : '0'],
      ['image.modifier', r?.modifier ?? ''],
      ['image.postModifier', r?.postModifier ?? ''],
      ['image.photoshopPathNames', ''],
      ['image.pixTyp', info.space === 'cmyk' ? 'CMYK' : info.space === 'b-w' ? 'BW' : 'RGB'],
      ['image.printRes', String(r?.printResolution ?? info.density ?? a.printResolution)],
      ['image.resolution', String(r?.resolution ?? a.resolution)],
      ['image.timeStamp', String(r?.timeStamp ?? Math.round(stamp.mtimeMs))],
      ['image.thumbRes', String(r?.thumbRes ?? a.thumbRes ?? '')],
      ['image.thumbType', String(r?.thumbType ?? a.thumbType)],
      ['image.translatedId', o.id],
      ...composite,
    ];
    return this.properties(scope, format, props, resolved.attributes.nonImgExpiration);
  }

  /** A composite described by {@link compositeProperties}; every source is checked as for rendering. */
  private async compositeProps(resolved: ResolvedRequest): Promise<Property[]> {
    const job = { spec: withRes(buildRenderSpec(resolved.layer(), { thumbnail: false }), resolved), defaults: renderDefaults(resolved.attributes, resolved.object.record), thumbnail: false, noDefaultImages: true };
    return compositeProperties(await this.composites.prepare(resolved, job));
  }

  /** `req=exists`: `catalogRecord.exists=1|0`; a missing record is not an error. */
  exists(scope: RequestScope, format: PropertyFormat): PlainResponse {
    const exists = scope.resolved.object.kind === 'record' ? '1' : '0';
    return this.properties(scope, format, [['catalogRecord.exists', exists]], scope.resolved.attributes.nonImgExpiration);
  }

  /** `req=catalogprops`: the main catalog's attributes as `catalog.*` (default.ini when no catalog id). */
  catalogProps(scope: RequestScope, format: PropertyFormat): PlainResponse {
    const { resolved } = scope;
    if (resolved.selectedCatalog.isDefault && resolved.pathObject !== '') {
      throw new ImageServingError('IMG_CATALOG_NOT_FOUND', `no catalog with RootId ${resolved.pathObject.split('/')[0] ?? ''}`);
    }
    const c = resolved.selectedCatalog;
    const a = c.attributes;
    const props: Property[] = [
      ['catalog.bkgColor', a.bkgColor.hex],
      ['catalog.defaultExt', a.defaultExt ?? ''],
      ['catalog.defaultPix', pair(a.defaultPix)],
      ['catalog.defaultThumbPix', pair(a.defaultThumbPix)],
      ['catalog.expiration', String(a.expiration)],
      ['catalog.defaultExpiration', String(a.defaultExpiration)],
      ['catalog.nonImgExpiration', String(a.nonImgExpiration)],
      ['catalog.fileTime', String(c.mtime.getTime())],
      ['catalog.jpegQuality', `${a.jpegQuality.quality},${a.jpegQuality.chroma ? 1 : 0}`],
      ['catalog.maxPix', pair(a.maxPix)],
      ['catalog.printResolution', String(a.printResolution)],
      ['catalog.publishInfo', a.publishInfo ?? ''],
      ['catalog.resMode', String(a.resMode)],
      ['catalog.resolution', String(a.resolution)],
      // Rule set in use; a refused RuleSetFile on reload says why here while the previous rules run.
      ['catalog.ruleSetError', c.ruleSetError ?? ''],
      ['catalog.ruleSetFile', c.ruleSet.file ?? ''],
      ['catalog.ruleSetRules', String(c.ruleSet.size)],
      ['catalog.thumbBkgColor', a.thumbBkgColor.hex],
      ['catalog.thumbHorizAlign', String(a.thumbHorizAlign)],
      ['catalog.thumbRes', a.thumbRes === null ? '' : String(a.thumbRes)],
      ['catalog.thumbType', String(a.thumbType)],
      ['catalog.thumbVertAlign', String(a.thumbVertAlign)],
      ['catalog.watermark', a.watermark ?? ''],
    ];
    return this.properties(scope, format, props, a.nonImgExpiration);
  }

  /** `req=userdata`: `catalog::UserData` (§2, §2.3), see {@link propertyDataReply}. */
  userData(scope: RequestScope, format: PropertyFormat): PlainResponse {
    return propertyDataReply(scope, format, 'userData');
  }

  /** `req=validate`: checks every command value of every layer as an image request would; never cached. */
  validate(scope: RequestScope, format: PropertyFormat): PlainResponse {
    buildRenderSpec(scope.resolved.layer(), { thumbnail: false });
    layerKeys(scope.resolved).forEach((layer) => buildLayerSpec(scope.resolved, layer));
    parseCache(scope.resolved.value('cache'));
    const { contentType, body } = formatProperties([['request.isValid', '1']], format, jsonpOptions(scope));
    return this.reply(scope, contentType, body, NOT_CACHEABLE);
  }

  /**
   * `req=resolve`: the request string after catalog lookups, macros, variables and templates
   * (§1.6), nested requests expanded (see {@link resolveText}), and a comment line listing the
   * commands this server does not know (they are ignored); never cached.
   */
  resolve(scope: RequestScope): PlainResponse {
    const { request, unknown } = resolveText(scope.resolved);
    const body = `${request}\n${unknown.length > 0 ? `# unknown commands (ignored): ${unknown.join(',')}\n` : ''}`;
    return this.reply(scope, TEXT, body, NOT_CACHEABLE);
  }

  /** `req=message`: logs `message=`; empty body; never cached. */
  message(scope: RequestScope): PlainResponse {
    this.log.info({ request_id: scope.http.requestId, catalog: scope.resolved.catalog.rootId, message: scope.resolved.value('message') ?? '' }, 'client message');
    return this.reply(scope, TEXT, '', NOT_CACHEABLE);
  }

  private policy(scope: RequestScope, ttlHours: number): CachePolicy {
    return { ttlHours, client: parseCache(scope.resolved.value('cache')).client };
  }

  private properties(scope: RequestScope, format: PropertyFormat, props: readonly Property[], ttlHours: number): PlainResponse {
    const xmlEncoding = scope.req.encoding;
    const { contentType, body } = formatProperties(props, format, { ...jsonpOptions(scope), xmlEncoding });
    const bytes = format === 'xml' && xmlEncoding !== 'UTF-8' ? encodePropertyBody(body, xmlEncoding) : body;
    return this.reply(scope, contentType, bytes, this.policy(scope, ttlHours), lastModifiedOf(scope.resolved));
  }

  private reply(scope: { http: ImageHttpRequest; now: Date }, contentType: string, body: Buffer | string, cache: CachePolicy, lastModified?: Date): PlainResponse {
    return successResponse(
      { contentType, body, cache, ...(lastModified ? { lastModified } : {}) },
      { method: scope.http.method, conditionals: scope.http.conditionals, now: scope.now },
      md5Etag,
    );
  }
}
