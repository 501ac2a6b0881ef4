import { Inject, Injectable } from '@nestjs/common';
import {
  IMAGE_ERRORS,
  ImageErrorClass,
  NO_CACHE_HEADERS,
  imageErrorMessage,
  imageErrorStatus,
  renderImageErrorBody,
  stackWithCauses,
  type ErrorDetailLevel,
  type ImageServingError,
} from '@openexp/errors';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Logger } from 'pino';
import { CatalogsService } from '../catalogs/catalogs.service';
import { IMAGE_SERVER_CONFIG, type ImageServerConfig } from '../config/image-server.config';
import { SAFETY_HEADERS } from '../http/cache-headers';
import { md5Etag, successResponse } from '../http/reply';
import { catalogErrorSettings, type CatalogErrorSettings } from './catalog-error-settings';
import { classifyFailure } from './classify-failure';
import { DefaultImageService } from './default-image.service';
import type { ErrorCatalog } from '../catalogs/error-catalog';
import { ErrorImageService } from './error-image.service';
import { ErrorMetrics } from './error-metrics';
import type { FailureContext, PlainResponse } from './failure-context';

/** Seconds a client should wait after an overload refusal before retrying. */
export const OVERLOAD_RETRY_AFTER_SECONDS = 5;

/** Header naming the error code an error image stands for. */
export const ERROR_IMAGE_HEADER = 'X-IS-Error-Image';
/** Header saying a default image replaced a missing one, and why. */
export const DEFAULT_IMAGE_HEADER = 'X-IS-Default-Image';

const NO_CONDITIONALS = Object.freeze({ ifNoneMatch: undefined, ifModifiedSince: undefined });

/** Request types a default image may answer (§5.5). */
const DEFAULT_IMAGE_REQ_TYPES = new Set(['img', 'tmb']);

/**
 * Answers every failed Image Serving request (image-serving.md §5): classifies the failure, logs
 * the original with the request id and full detail, and answers with — in this order — a default
 * image (`req=img|tmb`, missing image), an error image (image requests, `ErrorImage` set), or the
 * plain error body in the requested format. A default or error image that cannot be drawn is
 * logged and the plain error for the ORIGINAL failure is sent instead.
 */
@Injectable()
export class ErrorResponder {
  private readonly log: Logger;

  constructor(
    @Inject(IMAGE_SERVER_CONFIG) private readonly config: ImageServerConfig,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    private readonly metrics: ErrorMetrics,
    private readonly defaultImages: DefaultImageService,
    private readonly errorImages: ErrorImageService,
    private readonly catalogs: CatalogsService,
  ) {
    this.log = rootLogger.child({ component: 'image-errors' });
  }

  /** The reply for a failed request. Never throws. */
  async respond(error: unknown, ctx: FailureContext): Promise<PlainResponse> {
    try {
      return await this.answer(error, ctx);
    } catch (bug) {
      // Last line of defence: a bug here must not turn into Nest's JSON 500 with internals.
      this.log.error({ request_id: ctx.requestId, err: bug, original: error }, 'error responder failed; sending the generic server error');
      const err = classifyFailure(new Error('error responder failure', { cause: bug }));
      return { status: this.statusOf(err), headers: { ...SAFETY_HEADERS, ...NO_CACHE_HEADERS, 'Content-Type': 'text/plain; charset=UTF-8' }, body: err.title };
    }
  }

  private async answer(error: unknown, ctx: FailureContext): Promise<PlainResponse> {
    const err = classifyFailure(error);
    const catalog = ctx.catalog ?? this.defaultCatalog();
    const settings = catalogErrorSettings(catalog);
    this.logFailure(err, ctx);
    if (catalog !== undefined && ctx.format === 'image') {
      const substitute = (await this.defaultImage(err, ctx, catalog, settings)) ?? (await this.errorImage(err, ctx, catalog, settings));
      if (substitute !== undefined) {
        return substitute;
      }
    }
    this.metrics.failure(err, ctx.reqType, ctx.format, 'error_body');
    return this.errorBody(err, ctx, settings.errorDetail);
  }

  /**
   * Failures before the main catalog is known (bad path, refused lock) follow `default.ini`,
   * whose attributes every catalog inherits; without loaded catalogs, the safe defaults.
   */
  private defaultCatalog(): ErrorCatalog | undefined {
    try {
      return this.catalogs.snapshot().defaultCatalog;
    } catch {
      return undefined;
    }
  }

  /** The status of an error under the server-wide switches (§5.2). */
  statusOf(err: ImageServingError): number {
    if (err.errorClass === ImageErrorClass.Overload) {
      return this.config.errorStatuses.overload;
    }
    const { notFound, usage, server } = this.config.errorStatuses;
    return imageErrorStatus(err, { notFound, usage, server });
  }

  /** The plain error reply: status per class, body per format and `ErrorDetail`, never cacheable (§5.6, §5.7). */
  errorBody(err: ImageServingError, ctx: FailureContext, level: ErrorDetailLevel): PlainResponse {
    const format = ctx.format === 'image' ? 'text' : ctx.format;
    const { contentType, body } = renderImageErrorBody(err, { format, level, requestId: ctx.jsonpId ?? '' });
    const headers: Record<string, string> = { ...SAFETY_HEADERS, ...NO_CACHE_HEADERS, 'Content-Type': contentType };
    if (err.errorClass === ImageErrorClass.Overload) {
      headers['Retry-After'] = String(OVERLOAD_RETRY_AFTER_SECONDS);
    }
    // HEAD gets the body too: Fastify drops it and sets Content-Length from it, as for GET.
    return { status: this.statusOf(err), headers, body };
  }

  /** §5.5: only for `req=img|tmb` and a missing image; `defaultImage=` beats the attribute, empty disables. */
  private async defaultImage(err: ImageServingError, ctx: FailureContext, catalog: ErrorCatalog, settings: CatalogErrorSettings): Promise<PlainResponse | undefined> {
    const request = ctx.defaultImage;
    if (!IMAGE_ERRORS[err.code].defaultImage || request === undefined || !DEFAULT_IMAGE_REQ_TYPES.has(ctx.reqType.toLowerCase())) {
      return undefined;
    }
    const fromCommand = request.command !== undefined;
    const object = fromCommand ? request.command?.trim() : settings.defaultImage;
    if (object === undefined || object === '') {
      return undefined;
    }
    try {
      const image = await this.defaultImages.render(catalog, object, ctx.reqType.toLowerCase() === 'tmb', request.carried, settings.defaultExpirationHours);
      const reason = `image-not-found; source=${fromCommand ? 'command' : 'attribute'}`;
      this.metrics.defaultImage(ctx.reqType, fromCommand ? 'command' : 'attribute');
      this.metrics.failure(err, ctx.reqType, ctx.format, 'default_image');
      // A substituted image is a normal, cacheable image reply (§5.5, §5.7): same ETag/304/HEAD rules.
      return successResponse(
        {
          contentType: image.contentType,
          body: image.data,
          cache: { ttlHours: image.ttlHours, client: ctx.clientCache ?? true },
          headers: { [DEFAULT_IMAGE_HEADER]: reason },
        },
        { method: ctx.method, conditionals: ctx.conditionals ?? NO_CONDITIONALS, now: new Date() },
        md5Etag,
      );
    } catch (failure) {
      this.logSubstituteFailure('default image', object, failure, err, ctx);
      return undefined;
    }
  }

  /** §5.4: image requests only, when `ErrorImage` is set and the code allows one (not overload, not redirect failure). */
  private async errorImage(err: ImageServingError, ctx: FailureContext, catalog: ErrorCatalog, settings: CatalogErrorSettings): Promise<PlainResponse | undefined> {
    const object = settings.errorImage;
    if (object === undefined || !IMAGE_ERRORS[err.code].errorImage) {
      return undefined;
    }
    // Error images never show a stack: at most the level-2 message (§5.3).
    const { title, message } = imageErrorMessage(err, Math.min(settings.errorDetail, 2) as ErrorDetailLevel);
    try {
      const image = await this.errorImages.render(catalog, object, { title, message });
      this.metrics.errorImage(err, 'served');
      this.metrics.failure(err, ctx.reqType, ctx.format, 'error_image');
      return {
        status: 200,
        headers: { ...SAFETY_HEADERS, ...NO_CACHE_HEADERS, 'Content-Type': image.contentType, [ERROR_IMAGE_HEADER]: err.code },
        body: image.data,
      };
    } catch (failure) {
      this.metrics.errorImage(err, 'failed');
      this.logSubstituteFailure('error image', object, failure, err, ctx);
      return undefined;
    }
  }

  private logSubstituteFailure(what: string, object: string, failure: unknown, original: ImageServingError, ctx: FailureContext): void {
    const classified = classifyFailure(failure);
    this.log.warn(
      {
        request_id: ctx.requestId,
        catalog: ctx.catalog?.rootId,
        object,
        code: classified.code,
        detail: classified.detail,
        path: classified.path,
        stack: stackWithCauses(classified),
        original_code: original.code,
      },
      `${what} could not be rendered; answering with the original error`,
    );
  }

  private logFailure(err: ImageServingError, ctx: FailureContext): void {
    const entry = {
      request_id: ctx.requestId,
      code: err.code,
      error_class: err.errorClass,
      catalog: ctx.catalog?.rootId,
      req_type: ctx.reqType,
      format: ctx.format,
      detail: err.detail,
      command: err.command,
      value: err.value,
      path: err.path,
    };
    if (err.errorClass === ImageErrorClass.Server) {
      this.log.error({ ...entry, stack: stackWithCauses(err) }, `image request failed: ${err.title}`);
    } else if (err.errorClass === ImageErrorClass.Overload) {
      this.log.warn(entry, `image request refused: ${err.title}`);
    } else {
      this.log.info(entry, `image request failed: ${err.title}`);
    }
  }
}
