import { createParamDecorator, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import type { FastifyRequest } from 'fastify';
import { parseApiToken, secretMatches, type ApiCaller } from './api-token';
import { ApiTokensRepository } from './api-tokens.repository';

type AuthedRequest = FastifyRequest & { apiCaller?: ApiCaller };

const UNAUTHENTICATED = 'Send a management API token as "Authorization: Bearer isk_…" (created with the image-server admin CLI).';

/** Every management route needs a valid bearer token (401 `authentication-failure` otherwise). */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  constructor(private readonly tokens: ApiTokensRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    const parsed = match?.[1] === undefined ? undefined : parseApiToken(match[1]);
    const stored = parsed === undefined ? undefined : await this.tokens.find(parsed.id);
    if (parsed === undefined || stored === undefined || !secretMatches(parsed.secret, stored)) {
      throw new ReactorError('authentication-failure', UNAUTHENTICATED);
    }
    request.apiCaller = { tokenId: stored.id, name: stored.name, catalogs: stored.catalogs };
    return true;
  }
}

/** The caller the guard authenticated. */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): ApiCaller => {
  const caller = context.switchToHttp().getRequest<AuthedRequest>().apiCaller;
  if (caller === undefined) {
    throw new ReactorError('authentication-failure', UNAUTHENTICATED);
  }
  return caller;
});
