import type { ErrorResponse } from '@openexp/errors';
import type { FastifyReply } from 'fastify';
import type { OwnFormat } from '../jsonapi/own-format';

/** RFC 6749 §5.2 error codes the token endpoint answers with. */
export type OAuth2ErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope';

const STATUS: Record<OAuth2ErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
};

/**
 * A token request refused the way IMS (and RFC 6749 §5.2) refuses it: `{"error", "error_description"}`
 * with 400, or 401 for `invalid_client`. `basicChallenge`: the client authenticated with HTTP Basic,
 * so the 401 carries `WWW-Authenticate: Basic` (§5.2).
 */
export class OAuth2Error extends Error {
  readonly status: number;

  constructor(
    readonly error: OAuth2ErrorCode,
    readonly description: string,
    readonly basicChallenge = false,
  ) {
    super(description);
    this.name = 'OAuth2Error';
    this.status = STATUS[error];
  }
}

/** `{"error", "error_description"}` as IMS sends it, for anything the token route throws or its body parsing refuses. */
function replyOf(exception: unknown, jsonApi: ErrorResponse): { status: number; error: string; description: string; basic: boolean } {
  if (exception instanceof OAuth2Error) {
    return { status: exception.status, error: exception.error, description: exception.description, basic: exception.basicChallenge };
  }
  const detail = jsonApi.document.errors[0]?.detail ?? 'The request was rejected.';
  if (jsonApi.status === 503) {
    return { status: 503, error: 'temporarily_unavailable', description: detail, basic: false };
  }
  if (jsonApi.status >= 500) {
    return { status: jsonApi.status, error: 'server_error', description: 'The server could not issue a token; try again later.', basic: false };
  }
  // Body parsing, media types, input hygiene: the request itself is malformed.
  return { status: 400, error: 'invalid_request', description: detail, basic: false };
}

/** Errors of the token route leave as OAuth2 error objects (`application/json`, `Cache-Control: no-store`), never as JSON:API documents. */
export const OAUTH2_FORMAT: OwnFormat = {
  writeError(exception: unknown, jsonApi: ErrorResponse, reply: FastifyReply): number {
    const { status, error, description, basic } = replyOf(exception, jsonApi);
    void reply
      .status(status)
      .header('content-type', 'application/json; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('pragma', 'no-cache')
      .header('x-request-id', reply.request.id);
    if (basic) {
      void reply.header('www-authenticate', 'Basic realm="ims", charset="UTF-8"');
    }
    void reply.send(JSON.stringify({ error, error_description: description }));
    return status;
  },
};
