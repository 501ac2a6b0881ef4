import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ImageServingError } from '@openexp/errors';
import { createHttpApp, createServiceRuntime, redisOptionsFromUrl, type ServiceRuntime } from '@openexp/service-runtime';
import { AppModule } from './app.module';
import { CatalogsService } from './catalogs/catalogs.service';
import type { ImageServerConfig } from './config/image-server.config';
import { ErrorResponder } from './errors';
import { createManagementApi } from './management/management.app';
import { AssetChangesService } from './publishing/asset-changes.service';
import { catchUpAfterReconnect } from './publishing/broadcast-catch-up';

/**
 * Builds the image server (HTTP on Fastify, plus the `catalogs.reload` consumer on Redis when
 * `REDIS_URL` is set) and initialises it: catalogs are loaded when this resolves. The caller
 * listens (main) or injects requests (tests).
 */
export async function createImageServer(config: ImageServerConfig, runtime: ServiceRuntime): Promise<NestFastifyApplication> {
  // The responder exists once Nest has built the module graph, after Fastify is configured.
  const late: { errors?: ErrorResponder } = {};
  const app = await createHttpApp({
    runtime,
    appModule: AppModule.forRoot(config),
    frameworkErrors: (error, request, reply) => {
      const errors = late.errors;
      if (errors === undefined || !request.url.startsWith('/is/')) {
        void reply.status(400).send({ error: 'Bad Request', code: error.code });
        return;
      }
      // A path Fastify's router cannot decode (e.g. `%zz`) is a usage error answered like any other.
      const failure = new ImageServingError('IMG_INVALID_COMMAND_VALUE', 'The request path is not valid URL encoding.', { cause: error });
      const method = request.method === 'HEAD' ? 'HEAD' : 'GET';
      // Static content never gets an error image (§2.4, §5.5): its errors are text.
      const content = request.url.startsWith('/is/content');
      void errors
        .respond(failure, { requestId: String(request.id), reqType: content ? 'content' : 'img', format: content ? 'text' : 'image', method })
        .then((response) => reply.status(response.status).headers(response.headers).send(response.body));
    },
  });
  late.errors = app.get(ErrorResponder);
  if (config.redisUrl !== undefined) {
    const broadcasts = app.connectMicroservice<MicroserviceOptions>({ transport: Transport.REDIS, options: { ...redisOptionsFromUrl(config.redisUrl), retryAttempts: Number.MAX_SAFE_INTEGER, retryDelay: 2000 } });
    const changes = app.get(AssetChangesService);
    catchUpAfterReconnect(broadcasts.status, () => changes.catchUp(), (error) => runtime.logger.error({ err: error }, 'catalog catch-up after a Redis reconnect failed'));
    await app.startAllMicroservices();
  }
  await app.init();
  return app;
}

/**
 * The management API beside a built image server (issue 17), on its own Nest app and port, reading
 * the server's catalogs; `undefined` when `IS_API_PORT` is unset. It gets a runtime of its own
 * (same logger): its `/readyz` checks its Redis, while the public port's readiness never depends on
 * Redis, so an outage does not take image traffic off a replica. The caller listens and closes it
 * before the image server.
 */
export async function createManagementApiFor(server: NestFastifyApplication, config: ImageServerConfig, runtime: ServiceRuntime): Promise<NestFastifyApplication | undefined> {
  if (config.managementApi === undefined) {
    return undefined;
  }
  const own = createServiceRuntime('image-server-api', runtime.logger.child({ component: 'management-api' }));
  return createManagementApi(config.managementApi, own, server.get(CatalogsService));
}
