import multipart from '@fastify/multipart';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { errorResponse, ReactorError } from '@openexp/errors';
import type { FastifyInstance } from 'fastify';
import { createHttpApp, type ServiceRuntime } from '@openexp/service-runtime';
import { AppModule } from './app.module';
import { mountBullBoard } from './queues/bull-board';
import type { ReactorApiConfig } from './config/reactor-api.config';
import { registerInputHygiene } from './jsonapi/input-hygiene';
import { JSON_API, registerJsonApiBodies } from './jsonapi/media-type';
import { ownFormatOf, registerOwnFormatBodies } from './jsonapi/own-format';

/**
 * Builds the whole reactor-api (used by main.ts and by the integration tests, which boot the real
 * app in-process): JSON:API bodies, multipart uploads, response media type, Bull Board, modules.
 */
export async function createReactorApi(config: ReactorApiConfig, runtime: ServiceRuntime): Promise<NestFastifyApplication> {
  const app = await createHttpApp({
    runtime,
    appModule: AppModule.forRoot(config),
    bodyLimit: 2 * 1024 * 1024,
    // Router-level failures (a path that cannot be decoded) never reach Nest: answer them in JSON:API too.
    frameworkErrors: (_error, request, reply) => {
      const response = errorResponse(new ReactorError('route-not-found', 'The request path is not a valid URL.'), request.id);
      void reply.status(response.status).header('content-type', JSON_API).header('x-request-id', request.id).send(response.document);
    },
  });
  // @nestjs/platform-fastify carries its own copy of fastify's types; the runtime is the same fastify 5.
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  registerJsonApiBodies(app, fastify);
  registerOwnFormatBodies(fastify);
  registerInputHygiene(fastify);
  await fastify.register(multipart, { limits: { fileSize: config.uploadMaxBytes, files: 1, fields: 10 } });
  // API documents leave Nest as serialized strings; stored files (hosted libraries, extension
  // package assets) leave as streams and keep their own type (a package's `.json` is plain JSON),
  // and so do the replies of routes that are not JSON:API (the IMS token endpoint, own-format.ts).
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const type = reply.getHeader('content-type');
    if (typeof payload === 'string' && typeof type === 'string' && type.startsWith('application/json') && !request.url.startsWith('/readyz') && ownFormatOf(request) === undefined) {
      void reply.header('content-type', JSON_API);
    }
    done(null, payload);
  });
  await mountBullBoard(app);
  await app.init();
  return app;
}
