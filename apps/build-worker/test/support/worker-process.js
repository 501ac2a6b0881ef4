// Runs the real worker module in a child process (for crash tests and benchmarks), straight from
// TypeScript: SWC compiles with decorator metadata (Nest DI needs it), aliases map to the libs.
// Configuration comes from the environment, exactly as in production (validated by the app's schema).
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
const { parseConfig } = require('@openexp/service-runtime');
const { buildWorkerConfigSchema, toBuildWorkerConfig } = require('../../src/config/build-worker.config.ts');
const { startWorker } = require('./worker-harness.ts');

startWorker(toBuildWorkerConfig(parseConfig('build-worker', buildWorkerConfigSchema, process.env))).then(
  (app) => {
    process.stdout.write('worker ready\n');
    const stop = () => app.close().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  },
  (error) => {
    process.stderr.write(`worker failed to start: ${error.stack ?? error}\n`);
    process.exit(1);
  },
);
