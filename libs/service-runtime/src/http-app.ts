import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { PinoNestLogger } from './logger';
import { requestContext, requestIdFrom } from './request-context';
import { ServiceRuntimeModule, type ServiceRuntime } from './service-runtime.module';

export interface HttpAppOptions {
  runtime: ServiceRuntime;
  /** The app's root module, already configured (e.g. `AppModule.forRoot(config)`). */
  appModule: DynamicModule;
  /** Largest request body accepted, in bytes. */
  bodyLimit?: number;
  trustProxy?: boolean;
  /**
   * Answers errors Fastify raises before any route runs (a malformed percent-escape in the path,
   * a bad content type ...), so an app can reply in its own protocol instead of Fastify's JSON 400.
   */
  frameworkErrors?: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void;
}

const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Builds a Nest app on Fastify with what every HTTP app of the product has: request ids (taken from
 * `x-request-id` or generated, echoed back), JSON access logs, per-route metrics, health routes.
 */
export async function createHttpApp(options: HttpAppOptions): Promise<NestFastifyApplication> {
  const { runtime } = options;

  @Module({ imports: [ServiceRuntimeModule.forRoot(runtime), options.appModule] })
  class RootModule {}

  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    genReqId: (req: IncomingMessage) => requestIdFrom(req.headers['x-request-id']),
    return503OnClosing: true,
    ...(options.frameworkErrors ? { frameworkErrors: options.frameworkErrors } : {}),
  });
  instrument(adapter.getInstance(), runtime);

  const app = await NestFactory.create<NestFastifyApplication>(RootModule, adapter, {
    logger: new PinoNestLogger(runtime.logger.child({ component: 'nest' })),
    bufferLogs: false,
    abortOnError: false,
  });
  // Replies are written as headers then body; with Nagle's algorithm on, the body write waits for
  // the client's delayed ACK (~40 ms per response on Linux). Measured on the image server: cache
  // hits went from ~500 to 3,000+ req/s. Node's `noDelay` server default did not reach these sockets.
  app.getHttpServer().on('connection', (socket: Socket) => socket.setNoDelay(true));
  return app;
}

function instrument(fastify: FastifyInstance, runtime: ServiceRuntime): void {
  // An access-log entry holds no secrets (method, url, route, status, timing), so it skips the root
  // logger's redaction paths, which otherwise double the cost of the line written for every request.
  const log = runtime.logger.child({ component: 'http' }, { redact: [] });
  fastify.addHook('onRequest', (request, reply, done) => {
    requestContext.enter({ requestId: request.id });
    void reply.header('x-request-id', request.id);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status_code: String(reply.statusCode) };
    const seconds = reply.elapsedTime / 1000;
    runtime.metrics.httpRequests.inc(labels);
    runtime.metrics.httpDuration.observe(labels, seconds);
    const entry = {
      request_id: request.id,
      method: request.method,
      url: request.url,
      route,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 100) / 100,
    };
    if (QUIET_ROUTES.has(route)) {
      log.debug(entry, 'request');
    } else {
      log.info(entry, 'request');
    }
    done();
  });
}

/**
 * Closes the app on SIGTERM/SIGINT: readiness goes red, the server stops accepting, in-flight requests
 * finish, then modules close their connections (onModuleDestroy / onApplicationShutdown).
 * A second signal, or the deadline passing, exits at once.
 */
export function closeOnSignals(close: () => Promise<void>, runtime: ServiceRuntime, deadlineMs = 15000): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      runtime.logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    closing = true;
    runtime.readiness.markShuttingDown();
    runtime.logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      runtime.logger.error({ deadlineMs }, 'shutdown deadline passed: exiting');
      process.exit(1);
    }, deadlineMs);
    timer.unref();
    close().then(
      () => {
        runtime.logger.info('stopped cleanly');
        runtime.logger.flush();
        process.exit(0);
      },
      (error: unknown) => {
        runtime.logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
