import multipart from '@fastify/multipart';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { errorResponse, ReactorError } from '@openexp/errors';
import { createHttpApp, type ServiceRuntime } from '@openexp/service-runtime';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ManagementApiConfig } from '../config/management-api.config';
import { ApiRedis } from './api-redis';
import type { CatalogSnapshots } from './catalog-snapshots';
import { JSON_API } from './jsonapi/api-document';
import { ApiExceptionFilter } from './jsonapi/api-exception.filter';
import { ManagementModule } from './management.module';

/**
 * Builds the management API: a Nest app of its own, so it listens on `IS_API_PORT` and public
 * image traffic (on `IMAGE_SERVER_PORT`) can never reach it. It reads the serving app's catalogs
 * through `catalogs` and shares nothing else with it. The caller listens.
 */
export async function createManagementApi(config: ManagementApiConfig, runtime: ServiceRuntime, catalogs: CatalogSnapshots): Promise<NestFastifyApplication> {
  const app = await createHttpApp({
    runtime,
    appModule: ManagementModule.forRoot(config, catalogs),
    bodyLimit: 2 * 1024 * 1024,
    frameworkErrors: (_error, request, reply) => {
      const response = errorResponse(new ReactorError('route-not-found', 'The request path is not a valid URL.'), request.id);
      void reply.status(response.status).header('content-type', JSON_API).send(response.document);
    },
  });
  app.useGlobalFilters(new ApiExceptionFilter(runtime.logger, config.uploadMaxBytes));
  // @nestjs/platform-fastify carries its own copy of fastify's types; the runtime is the same fastify 5.
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.addContentTypeParser(JSON_API, { parseAs: 'string' }, parseJson);
  // files: 1 file part; fields: the record fields of §4.3 and `id`, with room; each field value ≤ 64 KiB.
  await fastify.register(multipart, { limits: { fileSize: config.uploadMaxBytes, files: 1, fields: 40, fieldSize: 64 * 1024, parts: 42 } });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const type = reply.getHeader('content-type');
    if (typeof payload === 'string' && typeof type === 'string' && type.startsWith('application/json') && !isProbe(request)) {
      void reply.header('content-type', JSON_API);
    }
    done(null, payload);
  });
  const redis = app.get(ApiRedis);
  runtime.readiness.register({ name: 'management-api-redis', check: async () => void (await redis.client.ping()) });
  await app.init();
  return app;
}

function isProbe(request: FastifyRequest): boolean {
  return request.url.startsWith('/readyz') || request.url.startsWith('/healthz');
}

function parseJson(_request: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void): void {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.trim() === '') {
    done(null, undefined);
    return;
  }
  try {
    done(null, JSON.parse(text));
  } catch {
    done(new ReactorError('malformed-json', 'The request body is not valid JSON.'));
  }
}
