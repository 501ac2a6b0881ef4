import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { errorResponse, ReactorError, ReactorErrors, type ReactorErrorCode } from '@openexp/errors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { JSON_API } from './api-document';

/** Framework errors (Nest HttpException, Fastify and multipart errors) by status → catalogue code. */
const BY_STATUS: Record<number, ReactorErrorCode> = {
  400: 'malformed-json',
  404: 'route-not-found',
  405: 'method-not-allowed',
  406: 'unsupported-media-type',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  503: 'service-unavailable',
};

const DETAILS: Partial<Record<ReactorErrorCode, string>> = {
  'malformed-json': 'The request could not be parsed.',
  'route-not-found': 'No endpoint exists at this path.',
  'method-not-allowed': 'This endpoint does not support this method.',
  'unsupported-media-type': `Send JSON bodies as ${JSON_API} (or application/json), uploads as multipart/form-data.`,
  'service-unavailable': 'A dependency is unavailable; try again shortly.',
};

/**
 * The management API's one exception filter: every error leaves as a JSON:API error document from
 * `libs/errors` (catalogue status and title, `meta.request_id`, `x-request-id`). Anything not
 * classified is a 500 `internal-error` whose message and stack go to the log only. Built by
 * `createManagementApi` (it needs the upload limit for its 413 detail).
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly logger: Logger,
    private readonly uploadMaxBytes: number,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const classified = this.classify(exception);
    const response = errorResponse(classified, request.id);
    const log = { request_id: request.id, method: request.method, url: request.url, status: response.status };
    if (response.status >= 500 && !(classified instanceof ReactorError && classified.code === 'service-unavailable')) {
      this.logger.error({ ...log, err: exception }, 'management API request failed');
    } else {
      this.logger.debug({ ...log, codes: response.document.errors.map((e) => e.code) }, 'management API request rejected');
    }
    void reply.status(response.status).header('content-type', JSON_API).header('x-request-id', request.id).send(response.document);
  }

  private classify(exception: unknown): unknown {
    if (exception instanceof ReactorError || exception instanceof ReactorErrors) {
      return exception;
    }
    if (isRedisUnavailable(exception)) {
      return new ReactorError('service-unavailable', 'The job store (Redis) is unavailable; try again shortly.', { cause: exception });
    }
    const status = statusOf(exception);
    const code = status === undefined ? undefined : BY_STATUS[status];
    if (code === 'payload-too-large' && (exception as { code?: unknown }).code !== 'FST_REQ_FILE_TOO_LARGE') {
      return new ReactorError(code, 'The request body is larger than this endpoint accepts (JSON documents: 2 MiB).', { cause: exception });
    }
    if (code === 'payload-too-large') {
      return new ReactorError(code, `The upload is larger than this server accepts (IS_API_UPLOAD_MAX_BYTES = ${this.uploadMaxBytes} bytes).`, {
        cause: exception,
        meta: { max_bytes: this.uploadMaxBytes },
      });
    }
    if (code !== undefined) {
      return new ReactorError(code, DETAILS[code] ?? 'The request was rejected.', { cause: exception });
    }
    if (status !== undefined && status >= 400 && status < 500) {
      return new ReactorError('invalid-document', 'The request could not be processed.', { cause: exception });
    }
    return exception;
  }
}

/**
 * ioredis refusing a command while Redis is down: the API's clients have no offline queue, so a
 * request fails at once with one of these instead of waiting.
 */
export function isRedisUnavailable(exception: unknown): boolean {
  if (!(exception instanceof Error)) {
    return false;
  }
  const code = (exception as { code?: unknown }).code;
  return (
    exception.name === 'MaxRetriesPerRequestError' ||
    exception.message.includes("Stream isn't writeable") ||
    exception.message === 'Connection is closed.' ||
    (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code))
  );
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
