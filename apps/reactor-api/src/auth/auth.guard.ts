import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HealthController } from '@openexp/service-runtime';
import type { FastifyRequest } from 'fastify';
import { setAuth } from './auth.decorator';
import { AuthService } from './auth.service';
import { PUBLIC_ROUTE } from './public.decorator';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Global guard: every route needs a valid bearer token unless marked `@Public()`. The route
 * enumeration test (test/route-guard.int-spec.ts) proves no route escapes it.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  /**
   * Whether each route handler is public, looked up once (route metadata is fixed at start-up;
   * measured with tools/bench/reactor-api.mjs: reading it on every request cost about 4 % of a GET by id's throughput).
   */
  private readonly publicHandlers = new WeakMap<object, boolean>();

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.isPublic(context)) {
      return true;
    }
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const auth = await this.auth.authenticate({
      authorization: header(request, 'authorization'),
      apiKey: header(request, 'x-api-key'),
      orgId: header(request, 'x-gw-ims-org-id'),
    });
    setAuth(request, auth);
    return true;
  }

  private isPublic(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let known = this.publicHandlers.get(handler);
    if (known === undefined) {
      const controller = context.getClass();
      // The runtime's probes (/healthz, /readyz, /metrics) are for the orchestrator, not API clients.
      known = controller === HealthController || this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [handler, controller]) === true;
      this.publicHandlers.set(handler, known);
    }
    return known;
  }
}
