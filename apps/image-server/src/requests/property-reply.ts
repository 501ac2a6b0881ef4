import { encodePropertyBody, formatProperties, type Property } from '@openexp/errors';
import type { PlainResponse } from '../errors';
import type { CachePolicy } from '../http/cache-headers';
import { md5Etag, successResponse } from '../http/reply';
import { jsonpOptions } from './image-replies.service';
import { lastModifiedOf, type ImageHttpRequest, type RequestScope } from './request-context';
import { parseCache, type PropertyFormat } from './request-type';

/** `text/plain` in UTF-8: bodies of the text forms that are not Java properties (userdata, targets, imageset, map). */
export const TEXT_PLAIN = 'text/plain; charset=UTF-8';

/** The client cache policy of a reply with this TTL, honouring `cache=` (§6). */
export function replyPolicy(scope: RequestScope, ttlHours: number): CachePolicy {
  return { ttlHours, client: parseCache(scope.resolved.value('cache')).client };
}

/** A successful reply with ETag, `Cache-Control`/`Expires` and 304 handling (§6). */
export function plainReply(scope: { http: ImageHttpRequest; now: Date }, contentType: string, body: Buffer | string, cache: CachePolicy, lastModified?: Date): PlainResponse {
  return successResponse(
    { contentType, body, cache, ...(lastModified ? { lastModified } : {}) },
    { method: scope.http.method, conditionals: scope.http.conditionals, now: scope.now },
    md5Etag,
  );
}

/**
 * Properties in the request's format (§2.1): JSONP `id=`/`handler=`, and for xml the encoding
 * `req=<type>,xml,<enc>` named (the body is then sent as bytes of that encoding).
 */
export function propertiesReply(scope: RequestScope, format: PropertyFormat, props: readonly Property[], ttlHours: number): PlainResponse {
  const xmlEncoding = scope.req.encoding;
  const { contentType, body } = formatProperties(props, format, { ...jsonpOptions(scope), xmlEncoding });
  return plainReply(scope, contentType, encodedBody(body, format, xmlEncoding), replyPolicy(scope, ttlHours), lastModifiedOf(scope.resolved));
}

/** A reply body as bytes of the xml encoding asked for; other formats stay UTF-8 strings. */
export function encodedBody(body: string, format: PropertyFormat, encoding: RequestScope['req']['encoding']): Buffer | string {
  return format === 'xml' && encoding !== 'UTF-8' ? encodePropertyBody(body, encoding) : body;
}
