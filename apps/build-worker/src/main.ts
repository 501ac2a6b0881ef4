import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  closeOnSignals,
  createRootLogger,
  createServiceRuntime,
  loadConfigOrExit,
  PinoNestLogger,
  ServiceRuntimeModule,
  startProbeServer,
} from '@openexp/service-runtime';
import { buildWorkerConfigSchema, readBuildWorkerEnv, toBuildWorkerConfig } from './config/build-worker.config';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = toBuildWorkerConfig(loadConfigOrExit('build-worker', buildWorkerConfigSchema, readBuildWorkerEnv()));
  const runtime = createServiceRuntime('build-worker', createRootLogger('build-worker', config.logLevel));

  @Module({ imports: [ServiceRuntimeModule.forRoot(runtime, { http: false }), WorkerModule.forRoot(config)] })
  class RootModule {}

  const app = await NestFactory.createApplicationContext(RootModule, {
    logger: new PinoNestLogger(runtime.logger.child({ component: 'nest' })),
    abortOnError: false,
  });
  const probe = config.probePort !== undefined ? await startProbeServer(config.probePort, runtime.metrics, runtime.readiness) : undefined;
  closeOnSignals(async () => {
    probe?.close();
    await app.close();
  }, runtime, 60000);
  runtime.logger.info({ probePort: config.probePort ?? null }, 'build-worker started');
}

void main().catch((error: unknown) => {
  process.stderr.write(`build-worker failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
