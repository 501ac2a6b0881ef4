import { Inject, Injectable } from '@nestjs/common';
import {
  ImageErrorClass,
  NO_CACHE_HEADERS,
  imageErrorStatus,
  renderImageErrorBody,
  stackWithCauses,
  type ImageServingError,
} from '@openexp/errors';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Logger } from 'pino';
import { IMAGE_SERVER_CONFIG, type ImageServerConfig } from '../config/image-server.config';
import { catalogErrorSettings } from './catalog-error-settings';
import { classifyFailure } from './classify-failure';
import { ErrorMetrics } from './error-metrics';
import type { FailureContext, PlainResponse } from './failure-context';

/** Seconds a client should wait after an overload refusal before retrying. */
export const OVERLOAD_RETRY_AFTER_SECONDS = 5;

/**
 * Answers every failed Image Serving request (image-serving.md §5): classifies the failure, logs
 * the original with the request id and full detail, and builds the reply the catalog asks for —
 * a default image, an error image, or a formatted, non-cacheable error body.
 */
@Injectable()
export class ErrorResponder {
  private readonly log: Logger;

  constructor(
    @Inject(IMAGE_SERVER_CONFIG) private readonly config: ImageServerConfig,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    private readonly metrics: ErrorMetrics,
  ) {
    this.log = rootLogger.child({ component: 'image-errors' });
  }

  /** The reply for a failed request. Never throws. */
  respond(error: unknown, ctx: FailureContext): Promise<PlainResponse> {
    const err = classifyFailure(error);
    this.logFailure(err, ctx);
    this.metrics.failure(err, ctx.reqType, ctx.format, 'error_body');
    return Promise.resolve(this.errorBody(err, ctx));
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
  errorBody(err: ImageServingError, ctx: FailureContext): PlainResponse {
    const level = catalogErrorSettings(ctx.catalog).errorDetail;
    const format = ctx.format === 'image' ? 'text' : ctx.format;
    const { contentType, body } = renderImageErrorBody(err, { format, level, requestId: ctx.jsonpId ?? '' });
    const headers: Record<string, string> = {
      ...NO_CACHE_HEADERS,
      'Content-Type': contentType,
      'X-Content-Type-Options': 'nosniff',
    };
    if (err.errorClass === ImageErrorClass.Overload) {
      headers['Retry-After'] = String(OVERLOAD_RETRY_AFTER_SECONDS);
    }
    return { status: this.statusOf(err), headers, body: ctx.method === 'HEAD' ? '' : body };
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
