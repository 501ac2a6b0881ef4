import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthContext } from './rights';

export const AUTH_CONTEXT = Symbol('reactor-auth');

type AuthenticatedRequest = FastifyRequest & { [AUTH_CONTEXT]?: AuthContext };

export function setAuth(request: FastifyRequest, auth: AuthContext): void {
  (request as AuthenticatedRequest)[AUTH_CONTEXT] = auth;
}

export function authOf(request: FastifyRequest): AuthContext | undefined {
  return (request as AuthenticatedRequest)[AUTH_CONTEXT];
}

/** The caller, as resolved by the AuthGuard. */
export const Auth = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthContext => {
  const auth = authOf(ctx.switchToHttp().getRequest<FastifyRequest>());
  if (auth === undefined) {
    throw new Error('Auth() used on a route the AuthGuard did not authenticate');
  }
  return auth;
});
