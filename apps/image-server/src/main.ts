import 'reflect-metadata';
import { closeOnSignals, createRootLogger, createServiceRuntime, loadConfigOrExit } from '@openexp/service-runtime';
import { imageServerConfigSchema, readImageServerEnv, toImageServerConfig } from './config/image-server.config';
import { createImageServer } from './image-server.app';

async function main(): Promise<void> {
  const config = toImageServerConfig(loadConfigOrExit('image-server', imageServerConfigSchema, readImageServerEnv()));
  const runtime = createServiceRuntime('image-server', createRootLogger('image-server', config.logLevel));
  const app = await createImageServer(config, runtime);
  closeOnSignals(() => app.close(), runtime);
  await app.listen({ port: config.port, host: config.host });
  runtime.logger.info({ url: await app.getUrl() }, 'image-server listening');
}

void main().catch((error: unknown) => {
  process.stderr.write(`image-server failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
