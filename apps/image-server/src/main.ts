import 'reflect-metadata';
import { closeOnSignals, createRootLogger, createServiceRuntime, loadConfigOrExit } from '@openexp/service-runtime';
import { imageServerConfigSchema, readImageServerEnv, toImageServerConfig } from './config/image-server.config';
import { createImageServer, createManagementApiFor } from './image-server.app';

async function main(): Promise<void> {
  const config = toImageServerConfig(loadConfigOrExit('image-server', imageServerConfigSchema, readImageServerEnv()));
  const runtime = createServiceRuntime('image-server', createRootLogger('image-server', config.logLevel));
  const app = await createImageServer(config, runtime);
  const api = await createManagementApiFor(app, config, runtime);
  closeOnSignals(async () => {
    await api?.close();
    await app.close();
  }, runtime);
  await app.listen({ port: config.port, host: config.host });
  runtime.logger.info({ url: await app.getUrl() }, 'image-server listening');
  if (api !== undefined && config.managementApi !== undefined) {
    await api.listen({ port: config.managementApi.port, host: config.managementApi.host });
    runtime.logger.info({ url: await api.getUrl() }, 'image-server management API listening');
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`image-server failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
