// Runs the real image server in a child process, straight from TypeScript (SWC compiles with
// decorator metadata, which Nest DI needs; aliases map to the libs), so a test can measure the
// server's own resident memory (/proc/<pid>/status) apart from Jest's. Configuration comes from the
// environment, validated by the app's schema as in production; it listens on 127.0.0.1 on a free
// port and prints `listening <url>` when ready.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '../../../..');
const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
const aliases = Object.fromEntries(Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, path.join(root, target)]));

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, aliases[request] ?? request, ...rest);
};
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};

require('reflect-metadata');
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
