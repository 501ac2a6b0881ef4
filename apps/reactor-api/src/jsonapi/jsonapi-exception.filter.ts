import { Catch, HttpException, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { errorResponse, ReactorError, ReactorErrors, type ReactorErrorCode } from '@openexp/errors';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { JSON_API } from './media-type';
import { ownFormatOf } from './own-format';

/** Framework errors (Nest HttpException, Fastify errors) by status → catalogue code. */
const BY_STATUS: Record<number, ReactorErrorCode> = {
  400: 'malformed-json',
  404: 'route-not-found',
  405: 'method-not-allowed',
  406: 'unsupported-media-type',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'too-many-requests',
  503: 'service-unavailable',
};

const DETAILS: Partial<Record<ReactorErrorCode, string>> = {
  'malformed-json': 'The request could not be parsed.',
  'route-not-found': 'No endpoint exists at this path.',
  'method-not-allowed': 'This endpoint does not support this method.',
  'unsupported-media-type': `Send JSON bodies as ${JSON_API} (or application/json), uploads as multipart/form-data.`,
  'payload-too-large': 'The request body is larger than this server accepts.',
  'too-many-requests': 'Too many requests; slow down.',
  'service-unavailable': 'A dependency is unavailable; try again shortly.',
};

/**
 * The one exception filter of reactor-api: every error leaves as a JSON:API error document with
 * the catalogue's status and title, `meta.request_id` and the `x-request-id` header. Anything not
 * classified is a 500 `internal-error` whose message and stack go to the log only. A route that
 * is not JSON:API (`own-format.ts`) is logged the same way but writes its own reply.
 */
@Catch()
export class JsonApiExceptionFilter implements ExceptionFilter {
  constructor(@Inject(ROOT_LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const classified = this.classify(exception);
    const response = errorResponse(classified, request.id);
    // A route that is not JSON:API (own-format.ts) writes its own error reply.
    const ownFormat = ownFormatOf(request);
    const status = ownFormat === undefined ? response.status : ownFormat.writeError(exception, response, reply);
    const log = { request_id: request.id, method: request.method, url: request.url, status };
    if (status >= 500 && !(classified instanceof ReactorError && classified.code === 'service-unavailable')) {
      this.logger.error({ ...log, err: exception }, 'request failed');
    } else {
      this.logger.debug({ ...log, codes: response.document.errors.map((e) => e.code) }, 'request rejected');
    }
    if (ownFormat === undefined) {
      void reply.status(response.status).header('content-type', JSON_API).header('x-request-id', request.id).send(response.document);
    }
  }

  private classify(exception: unknown): unknown {
    if (exception instanceof ReactorError || exception instanceof ReactorErrors) {
      return exception;
    }
    const status = statusOf(exception);
    const code = status === undefined ? undefined : BY_STATUS[status];
    if (code !== undefined) {
      return new ReactorError(code, DETAILS[code] ?? 'The request was rejected.', { cause: exception });
    }
    if (status !== undefined && status >= 400 && status < 500) {
      return new ReactorError('invalid-document', 'The request could not be processed.', { cause: exception });
    }
    return exception;
  }
}

function statusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) {
    return exception.getStatus();
  }
  if (exception instanceof Error && 'statusCode' in exception && typeof exception.statusCode === 'number') {
    return exception.statusCode;
  }
  return undefined;
}
