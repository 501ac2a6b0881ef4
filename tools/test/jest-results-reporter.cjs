// A Jest reporter used by tools/test/run.mjs (`npm test`): after each Jest run it writes the counts
// and the failures as JSON next to the project's coverage output, under
// coverage/<projectRoot>/test-results/<target>.json, the target being the Nx task's
// (NX_TASK_TARGET_TARGET, set by Nx for every task; the Jest display name otherwise). That folder is
// inside the `test` target's declared Nx outputs, so a cached (replayed) run restores the same file
// and the totals stay right.
const { mkdirSync, writeFileSync, renameSync } = require('node:fs');
const { join, relative, resolve } = require('node:path');

const WORKSPACE = resolve(__dirname, '../..');

function nameOf(config) {
  const d = config && config.displayName;
  if (typeof d === 'string') {
    return d;
  }
  if (d && typeof d.name === 'string') {
    return d.name;
  }
  return undefined;
}

class ResultsReporter {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
  }

  onRunComplete(testContexts, results) {
    const contexts = [...testContexts];
    const rootDir = this.globalConfig.rootDir;
    const displayName = nameOf(contexts[0] && contexts[0].config) || relative(WORKSPACE, rootDir).replace(/[\\/]/g, '-');
    const failures = [];
    for (const file of results.testResults) {
      const path = relative(WORKSPACE, file.testFilePath);
      if (file.testExecError) {
        failures.push({ file: path, title: '(test file failed to run)', message: String(file.testExecError.message || '').slice(0, 2000) });
      }
      for (const t of file.testResults) {
        if (t.status === 'failed') {
          failures.push({ file: path, title: t.fullName, message: (t.failureMessages || []).join('\n').slice(0, 2000) });
        }
      }
    }
    const target = process.env.NX_TASK_TARGET_TARGET || displayName;
    const record = {
      target,
      nxProject: process.env.NX_TASK_TARGET_PROJECT || null,
      displayName,
      project: relative(WORKSPACE, rootDir),
      // Jest sets results.success only after the reporters ran: decide here as Jest will.
      success:
        results.numFailedTests === 0 &&
        results.numFailedTestSuites === 0 &&
        results.numRuntimeErrorTestSuites === 0 &&
        !(results.snapshot && results.snapshot.failure) &&
        (results.numTotalTestSuites > 0 || Boolean(this.globalConfig.passWithNoTests)),
      numPassedTests: results.numPassedTests,
      numFailedTests: results.numFailedTests,
      numPendingTests: results.numPendingTests + results.numTodoTests,
      numTotalTests: results.numTotalTests,
      numFailedTestSuites: results.numFailedTestSuites,
      numRuntimeErrorTestSuites: results.numRuntimeErrorTestSuites,
      numTotalTestSuites: results.numTotalTestSuites,
      failures,
    };
    const dir = join(WORKSPACE, 'coverage', relative(WORKSPACE, rootDir), 'test-results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${target.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
    writeFileSync(`${file}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
  }
}

module.exports = ResultsReporter;
