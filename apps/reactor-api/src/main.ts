import 'reflect-metadata';
import { closeOnSignals, createRootLogger, createServiceRuntime, loadConfigOrExit } from '@openexp/service-runtime';
import { createReactorApi } from './bootstrap';
import { reactorApiConfigSchema, readReactorApiEnv, toReactorApiConfig } from './config/reactor-api.config';

async function main(): Promise<void> {
  const config = toReactorApiConfig(loadConfigOrExit('reactor-api', reactorApiConfigSchema, readReactorApiEnv()));
  const runtime = createServiceRuntime('reactor-api', createRootLogger('reactor-api', config.logLevel));
  const app = await createReactorApi(config, runtime);
  closeOnSignals(() => app.close(), runtime);
  await app.listen({ port: config.port, host: config.host });
  runtime.logger.info({ url: await app.getUrl() }, 'reactor-api listening');
}

void main().catch((error: unknown) => {
  process.stderr.write(`reactor-api failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
