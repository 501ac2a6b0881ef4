// Runs the real worker module in a child process (for crash tests and benchmarks), straight from
// TypeScript: SWC compiles with decorator metadata (Nest DI needs it), aliases map to the libs.
// Configuration comes from the environment, exactly as in production (validated by the app's schema).
'use strict';
require('../../../../tools/test/register-ts.cjs');
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
