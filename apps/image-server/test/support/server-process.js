// Runs the real image server in a child process, straight from TypeScript (SWC compiles with
// decorator metadata, which Nest DI needs; aliases map to the libs), so a test can measure the
// server's own resident memory (/proc/<pid>/status) apart from Jest's. Configuration comes from the
// environment, validated by the app's schema as in production; it listens on 127.0.0.1 on a free
// port and prints `listening <url>` when ready.
'use strict';
require('../../../../tools/test/register-ts.cjs');
const { createRootLogger, createServiceRuntime, parseConfig } = require('@openexp/service-runtime');
const { imageServerConfigSchema, toImageServerConfig } = require('../../src/config/image-server.config.ts');
const { createImageServer } = require('../../src/image-server.app.ts');

async function main() {
  const config = toImageServerConfig(parseConfig('image-server', imageServerConfigSchema, process.env));
  const runtime = createServiceRuntime('image-server', createRootLogger('image-server', config.logLevel));
  const app = await createImageServer(config, runtime);
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`listening ${await app.getUrl()}\n`);
  const stop = () => app.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error) => {
  process.stderr.write(`image server failed to start: ${error.stack ?? error}\n`);
  process.exit(1);
});
