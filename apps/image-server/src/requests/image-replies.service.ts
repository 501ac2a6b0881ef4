import { Inject, Injectable } from '@nestjs/common';
import { formatProperties, type Property } from '@openexp/errors';
import { IMAGE_SERVER_CONFIG, type ImageServerConfig } from '../config/image-server.config';
import type { PlainResponse } from '../errors';
import { md5Etag, successResponse } from '../http/reply';
import { servingUrl } from '../http/raw-request';
import { objectTag, urlTag, withPurgeTags } from '../cache/tag-index';
import { ImageRenderService, type NegotiationInput } from '../pipeline/image-render.service';
import { negotiationHeaders } from '../pipeline/format-negotiation';
import { compositeProperties } from './composite-props';
import { imageTtlHours, lastModifiedOf, type RequestScope } from './request-context';
import { parseCache, type PropertyFormat } from './request-type';

/** `req=img`, `req=tmb`, `req=mask` and `req=props` (image-serving.md §2, §2.2, §6). */
@Injectable()
export class ImageRepliesService {
  constructor(
    private readonly renderer: ImageRenderService,
    @Inject(IMAGE_SERVER_CONFIG) private readonly config: ImageServerConfig,
  ) {}

  /**
   * The image reply (`req=img|tmb|mask`): rendered or from the result cache, with
   * `X-IS-Cache: hit|miss|bypass`. A mask is processed like `img` and answers its alpha channel
   * in `fmt=` (gray unless `fmt=…,rgb`), with the image TTL.
   */
  async image(scope: RequestScope): Promise<PlainResponse> {
    const { resolved } = scope;
    const cache = parseCache(resolved.value('cache'));
    const { type } = scope.req;
    const { entry, cache: outcome, negotiation } = await withPurgeTags(purgeTagsOf(scope), () =>
      this.renderer.renderResolved(resolved, {
        thumbnail: type === 'tmb',
        mask: type === 'mask',
        serverCache: cache.server,
        negotiation: this.negotiationOf(scope),
      }),
    );
    return successResponse(
      {
        contentType: entry.meta.contentType,
        body: entry.body,
        etag: entry.etag,
        cache: { ttlHours: imageTtlHours(resolved), client: cache.client },
        lastModified: lastModifiedOf(resolved),
        headers: { 'X-IS-Cache': outcome, ...negotiationHeaders(negotiation) },
      },
      { method: scope.http.method, conditionals: scope.http.conditionals, now: scope.now },
      md5Etag,
    );
  }

  /**
   * Format and DPR negotiation for `req=img`, `tmb` and `props` (issue 16): the client's headers
   * and `attribute::Bfc`, else `IS_BFC`. Other types (a mask is gray by §3.3) are not negotiated.
   */
  private negotiationOf(scope: RequestScope): NegotiationInput | undefined {
    const { type } = scope.req;
    if (scope.http.client === undefined || (type !== 'img' && type !== 'tmb' && type !== 'props')) {
      return undefined;
    }
    return { client: scope.http.client, bfc: scope.resolved.attributes.bfc ?? this.config.smartImaging.bfc };
  }

  /**
   * `req=props`: renders like `img` (through the cache) and describes the reply image (§2); for a
   * composite (layers, or a catalog watermark) also how it was built: `composite.*` and
   * `layer.<n>.*`, the lines of `req=imageprops` (see {@link compositeProperties}), after the
   * layers' commands, as the `img` reply of the same URL draws them.
   */
  async props(scope: RequestScope, format: PropertyFormat): Promise<PlainResponse> {
    const { resolved } = scope;
    const cache = parseCache(resolved.value('cache'));
    const { entry, cache: outcome, negotiation, composite } = await withPurgeTags(purgeTagsOf(scope), () =>
      this.renderer.renderResolved(resolved, { thumbnail: false, serverCache: cache.server, negotiation: this.negotiationOf(scope), noDefaultImages: true }),
    );
    const m = entry.meta;
    const version = entry.etag.slice(1, -1);
    const props: Property[] = [
      ['image.width', String(m.width)],
      ['image.height', String(m.height)],
      ['image.type', m.contentType],
      ['image.quality', String(m.quality)],
      ['image.bgc', m.bgc],
      ['image.mask', m.channels === 2 || m.channels === 4 ? '1' : '0'],
      ['image.pixTyp', m.pixelType === 'gray' ? 'BW' : 'RGB'],
      ['image.printRes', String(m.printRes ?? 72)],
      ['image.iccProfile', ''],
      ['image.iccEmbed', '0'],
      ['image.pathEmbed', '0'],
      ['image.xmpEmbed', '0'],
      ['image.length', String(outcome === 'bypass' ? 0 : entry.body.length)],
      ['image.version', version],
      ['metadata.version', resolved.catalog.loadedAt.getTime().toString(16)],
      ...(composite === undefined ? [] : compositeProperties(composite)),
    ];
    const { contentType, body } = formatProperties(props, format, jsonpOptions(scope));
    return successResponse(
      {
        contentType,
        body,
        cache: { ttlHours: resolved.attributes.nonImgExpiration, client: cache.client },
        lastModified: lastModifiedOf(resolved),
        headers: { 'X-IS-Cache': outcome, ...negotiationHeaders(negotiation) },
      },
      { method: scope.http.method, conditionals: scope.http.conditionals, now: scope.now },
      md5Etag,
    );
  }
}

/** JSONP options of a property reply: `id=` echoed, `handler=` (checked by the writer: `[A-Za-z0-9]` only). */
export function jsonpOptions(scope: RequestScope): { requestId: string; handler?: string; date: Date } {
  const handler = scope.resolved.value('handler');
  return { requestId: scope.resolved.value('id') ?? '', ...(handler ? { handler } : {}), date: scope.now };
}

/** Purge tags of a reply: its object (`assets.changed`, purge by id) and its URL (purge by URL). */
function purgeTagsOf(scope: RequestScope): string[] {
  return [objectTag(scope.resolved.catalog.rootId, scope.resolved.object.id), urlTag(servingUrl('/is/image', scope.http))];
}
