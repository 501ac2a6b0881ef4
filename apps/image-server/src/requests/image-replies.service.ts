import { Injectable } from '@nestjs/common';
import { formatProperties, type Property } from '@openexp/errors';
import { md5Etag } from '../cache/image-cache.service';
import type { PlainResponse } from '../errors';
import { successResponse } from '../http/reply';
import { ImageRenderService } from '../pipeline/image-render.service';
import { imageTtlHours, lastModifiedOf, type RequestScope } from './request-context';
import { parseCache, type PropertyFormat } from './request-type';

/** `req=img`, `req=tmb` and `req=props` (image-serving.md §2, §2.2, §6). */
@Injectable()
export class ImageRepliesService {
  constructor(private readonly renderer: ImageRenderService) {}

  /** The image reply: rendered or from the result cache, with `X-IS-Cache: hit|miss|bypass`. */
  async image(scope: RequestScope): Promise<PlainResponse> {
    const { resolved } = scope;
    const cache = parseCache(resolved.value('cache'));
    const { entry, cache: outcome } = await this.renderer.renderResolved(resolved, { thumbnail: scope.req.type === 'tmb', serverCache: cache.server });
    return successResponse(
      {
        contentType: entry.meta.contentType,
        body: entry.body,
        etag: entry.etag,
        cache: { ttlHours: imageTtlHours(resolved), client: cache.client },
        lastModified: lastModifiedOf(resolved),
        headers: { 'X-IS-Cache': outcome },
      },
      { method: scope.http.method, conditionals: scope.http.conditionals, now: scope.now },
      md5Etag,
    );
  }

  /** `req=props`: renders like `img` (through the cache) and describes the reply image. */
  async props(scope: RequestScope, format: PropertyFormat): Promise<PlainResponse> {
    const { resolved } = scope;
    const cache = parseCache(resolved.value('cache'));
    const { entry, cache: outcome } = await this.renderer.renderResolved(resolved, { thumbnail: false, serverCache: cache.server });
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
    ];
    const { contentType, body } = formatProperties(props, format, jsonpOptions(scope));
    return successResponse(
      { contentType, body, cache: { ttlHours: resolved.attributes.nonImgExpiration, client: cache.client }, lastModified: lastModifiedOf(resolved), headers: { 'X-IS-Cache': outcome } },
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
