import { ReactorError } from '@openexp/errors';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const JSON_API = 'application/vnd.api+json';

/**
 * JSON bodies: `application/vnd.api+json` and `application/json` (Adobe's own examples send the
 * latter). An empty body is no body (the SDK sends the JSON content type on bodiless POST/DELETE).
 * Media-type parameters other than `charset` → 415, per JSON:API; unparseable JSON → 400.
 */
export function registerJsonApiBodies(app: NestFastifyApplication, fastify: FastifyInstance): void {
  // Registering through Nest marks its parsers as set, so it does not add its own JSON parser at init.
  app.useBodyParser(JSON_API, {}, parseJson as never);
  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, parseJson);
}

function parseJson(request: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void): void {
  const unsupported = unsupportedParameters(request.headers['content-type']);
  if (unsupported !== null) {
    done(new ReactorError('unsupported-media-type', `Content-Type parameter "${unsupported}" is not supported; send ${JSON_API}.`));
    return;
  }
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.trim() === '') {
    done(null, undefined);
    return;
  }
  try {
    done(null, JSON.parse(text));
  } catch (error) {
    done(new ReactorError('malformed-json', `The request body is not valid JSON: ${(error as Error).message}`));
  }
}

function unsupportedParameters(header: string | undefined): string | null {
  if (header === undefined) {
    return null;
  }
  for (const part of header.split(';').slice(1)) {
    const name = part.split('=')[0]?.trim().toLowerCase() ?? '';
    if (name !== '' && name !== 'charset') {
      return part.trim();
    }
  }
  return null;
}
