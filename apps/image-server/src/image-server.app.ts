import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Socket } from 'node:net';
import { createHttpApp, redisOptionsFromUrl, type ServiceRuntime } from '@openexp/service-runtime';
import { AppModule } from './app.module';
import type { ImageServerConfig } from './config/image-server.config';

/**
 * Builds the image server (HTTP on Fastify, plus the `catalogs.reload` consumer on Redis when
 * `REDIS_URL` is set) and initialises it: catalogs are loaded when this resolves. The caller
 * listens (main) or injects requests (tests).
 */
export async function createImageServer(config: ImageServerConfig, runtime: ServiceRuntime): Promise<NestFastifyApplication> {
  const app = await createHttpApp({ runtime, appModule: AppModule.forRoot(config) });
  // Image bodies are sent as a separate write after the headers; with Nagle's algorithm on, that
  // write waits for the client's delayed ACK (~40 ms per response on Linux). Measured: cache hits
  // went from ~500 to several thousand req/s. Node's `noDelay` server default did not reach these sockets.
  app.getHttpServer().on('connection', (socket: Socket) => socket.setNoDelay(true));
  if (config.redisUrl !== undefined) {
    app.connectMicroservice<MicroserviceOptions>({ transport: Transport.REDIS, options: { ...redisOptionsFromUrl(config.redisUrl), retryAttempts: Number.MAX_SAFE_INTEGER, retryDelay: 2000 } });
    await app.startAllMicroservices();
  }
  await app.init();
  return app;
}
