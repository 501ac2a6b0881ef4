import { ReactorError, type ErrorResponse } from '@openexp/errors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { JSON_API } from './media-type';

/**
 * A route that is not JSON:API (the IMS-shaped token endpoint, `auth/ims-token.controller.ts`)
 * declares it in its Fastify route config: `@RouteConfig({ [OWN_FORMAT]: format })`. Such a route
 * keeps the content type of its replies (no `application/vnd.api+json` rewrite), may take
 * `application/x-www-form-urlencoded` bodies (other routes answer 415 to them), and writes its own
 * errors: the global exception filter classifies and logs as for any route, then hands the reply
 * to `writeError` instead of sending a JSON:API document. That covers errors raised before the
 * handler too (body parsing, input hygiene), which no controller-scoped filter sees.
 */
export const OWN_FORMAT = 'reactorOwnFormat';

export interface OwnFormat {
  /** Writes the error reply for `exception` (`jsonApi`: what a JSON:API route would answer); returns the status sent. */
  writeError(exception: unknown, jsonApi: ErrorResponse, reply: FastifyReply): number;
}

/** The route's own format, or undefined for a JSON:API route (and for requests that matched no route). */
export function ownFormatOf(request: FastifyRequest): OwnFormat | undefined {
  const config: unknown = request.routeOptions?.config;
  if (typeof config !== 'object' || config === null || !Object.hasOwn(config, OWN_FORMAT)) {
    return undefined;
  }
  const format = (config as Record<string, unknown>)[OWN_FORMAT];
  return typeof format === 'object' && format !== null && typeof (format as OwnFormat).writeError === 'function' ? (format as OwnFormat) : undefined;
}

/**
 * `application/x-www-form-urlencoded` bodies, for routes with their own format only (OAuth2 token
 * requests are forms): parsed into an object of strings (arrays for repeated names) without a
 * prototype, so input hygiene checks every value and `__proto__` is just a name. Every other route
 * keeps answering 415 to a form.
 */
export function registerOwnFormatBodies(fastify: FastifyInstance): void {
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
    if (ownFormatOf(request) === undefined) {
      done(new ReactorError('unsupported-media-type', `Send JSON bodies as ${JSON_API} (or application/json), uploads as multipart/form-data.`));
      return;
    }
    const form = Object.create(null) as Record<string, string | string[]>;
    for (const [name, value] of new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))) {
      const previous = form[name];
      form[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
    }
    done(null, form);
  });
}
