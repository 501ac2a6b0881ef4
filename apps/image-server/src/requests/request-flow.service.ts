import { Injectable } from '@nestjs/common';
import type { CatalogSet, ResolvedRequest } from '@openexp/catalogs';
import { assertUnreachable } from '@openexp/errors';
import { CatalogsService } from '../catalogs/catalogs.service';
import { ErrorResponder, type FailureContext, type PlainResponse } from '../errors';
import { preResolutionFacts } from '../errors/pre-resolution-context';
import { ImageRepliesService } from './image-replies.service';
import { MapRepliesService } from './map-replies.service';
import { imageSetReply, propertyDataReply } from './property-data.replies';
import { PropertyRepliesService } from './property-replies.service';
import { SetRepliesService } from './set-replies.service';
import type { ImageHttpRequest, RequestScope } from './request-context';
import { parseCache, parseReq, sniffReq, type ReqSpec } from './request-type';

/**
 * One `/is/image` request from start to reply (DESIGN.md "Image" flow): resolve against the
 * catalogs, dispatch on `req=`, and hand every failure, whatever its origin, to the
 * {@link ErrorResponder} with what is known about the request at that point.
 */
@Injectable()
export class RequestFlowService {
  constructor(
    private readonly catalogs: CatalogsService,
    private readonly images: ImageRepliesService,
    private readonly properties: PropertyRepliesService,
    private readonly maps: MapRepliesService,
    private readonly sets: SetRepliesService,
    private readonly errors: ErrorResponder,
  ) {}

  async handle(http: ImageHttpRequest): Promise<PlainResponse> {
    const now = new Date();
    let resolved: ResolvedRequest | undefined;
    let req: ReqSpec = sniffReq(http.rawQuery);
    try {
      if (http.pathSegments.length === 0 && http.rawQuery === '') {
        return this.properties.banner(http, now, this.catalogs.snapshot().defaultCatalog.attributes);
      }
      resolved = this.catalogs.resolve({ pathSegments: http.pathSegments, rawQuery: http.rawQuery });
      req = parseReq(resolved.value('req'));
      return await this.dispatch({ http, resolved, req, now });
    } catch (error) {
      return this.errors.respond(error, failureContext(http, resolved, req, () => this.catalogs.snapshot()));
    }
  }

  private dispatch(scope: RequestScope): Promise<PlainResponse> | PlainResponse {
    const { type, format } = scope.req;
    if (format === 'image') {
      return this.images.image(scope);
    }
    switch (type) {
      case 'props':
        return this.images.props(scope, format);
      case 'imageprops':
        return this.properties.imageProps(scope, format);
      case 'exists':
        return this.properties.exists(scope, format);
      case 'catalogprops':
        return this.properties.catalogProps(scope, format);
      case 'userdata':
        return this.properties.userData(scope, format);
      case 'targets':
        return propertyDataReply(scope, format, 'targets');
      case 'imageset':
        return imageSetReply(scope, format);
      case 'map':
        return this.maps.map(scope, format);
      case 'set':
        return this.sets.set(scope, format);
      case 'validate':
        return this.properties.validate(scope, format);
      case 'resolve':
        return this.properties.resolve(scope);
      case 'message':
        return this.properties.message(scope);
      case 'img':
      case 'tmb':
      case 'mask':
        return this.images.image(scope);
      default:
        return assertUnreachable(type, 'req type');
    }
  }
}

/** What the errors module needs to answer a failure (see `FailureContext`). */
function failureContext(http: ImageHttpRequest, resolved: ResolvedRequest | undefined, req: ReqSpec, snapshot: () => CatalogSet): FailureContext {
  const image = req.type === 'img' || req.type === 'tmb';
  const ctx: FailureContext = {
    requestId: http.requestId,
    reqType: req.type,
    format: image ? 'image' : req.format,
    method: http.method,
  };
  if (resolved === undefined) {
    return { ...ctx, ...preResolutionFacts(http.pathSegments, http.rawQuery, req.format === 'json', snapshot) };
  }
  ctx.catalog = resolved.catalog;
  const id = resolved.value('id');
  if (req.format === 'json' && id !== undefined) {
    ctx.jsonpId = id;
  }
  if (image) {
    const carried: Record<string, string> = {};
    for (const name of ['wid', 'hei', 'fmt', 'qlt'] as const) {
      const v = resolved.value(name);
      if (v !== undefined) {
        carried[name] = v;
      }
    }
    ctx.defaultImage = { command: resolved.value('defaultimage'), carried };
    ctx.conditionals = http.conditionals;
    ctx.clientCache = clientCacheOf(resolved.value('cache'));
  }
  return ctx;
}

/** `cache=` client part for a default-image reply; an unparseable value (itself the failure) leaves caching on. */
function clientCacheOf(value: string | undefined): boolean {
  try {
    return parseCache(value).client;
  } catch {
    return true;
  }
}
