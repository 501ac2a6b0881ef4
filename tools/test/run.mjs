#!/usr/bin/env node
// `npm test`: every test of every project (unit `test` and `test:integration`, the lint tests and
// the end-to-end tests), on a fresh machine.
//
//   1. installs what is missing: npm ci when node_modules is missing or stale; Debian's
//      redis-server, openssh-server (a private sshd for the SFTP tests), chromium (headless
//      runs of built tag libraries), gnupg (the SFTP guide's gpg step) and libarchive-tools (bsdtar
//      reads the archive environments' encrypted ZIPs) with apt-get when root, otherwise says exactly what to install;
//   2. runs `nx run-many -t test test:integration --parallel=2`; Redis comes from the integration
//      tests' global setup (a private redis-server per project run, unless TEST_REDIS_URL or
//      REDIS_URL is set); TEST_DATABASE_URL is passed through (real PostgreSQL), else PGlite;
//   3. reads every Jest run's counts (tools/test/jest-results-reporter.cjs), prints a summary with
//      the failing tests, and ends with one plain line `N passed, N failed` that CI reads.
//
// Exit code: 0 only when every task succeeded and no test failed.
// Extra arguments are passed to `nx run-many` (e.g. `npm test -- -p errors catalogs`, `--skip-nx-cache`).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianTools, ensureNodeModules } from '../dev/prerequisites.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TARGETS = ['test', 'test:integration'];
const REPORTER = join(ROOT, 'tools/test/jest-results-reporter.cjs');
const extra = process.argv.slice(2);
const log = (line) => process.stderr.write(`[test] ${line}\n`);

function nxEnv() {
  // No daemon (nothing may outlive the run), no TUI (the output is read by people and CI alike).
  return { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? '1' : '0') };
}

const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', 'tmp', 'data', '.nx', '.git']);

/** Every Nx project (its project.json), read from disk: faster than asking nx once per project. */
function workspaceProjects(dir = ROOT, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && !SKIP_DIRS.has(entry.name)) {
      workspaceProjects(join(dir, entry.name), out);
    } else if (entry.name === 'project.json' && dir !== ROOT) {
      const json = JSON.parse(readFileSync(join(dir, entry.name), 'utf8'));
      out.push({ name: json.name, root: relative(ROOT, dir), targets: Object.keys(json.targets ?? {}) });
    }
  }
  return out;
}

function requestedProjects() {
  const out = [];
  for (let i = 0; i < extra.length; i++) {
    const a = extra[i];
    if (a === '-p' || a === '--projects') {
      for (let j = i + 1; j < extra.length && !extra[j].startsWith('-'); j++) {
        out.push(...extra[j].split(','));
      }
    } else if (a.startsWith('--projects=')) {
      out.push(...a.slice('--projects='.length).split(','));
    }
  }
  return out.length > 0 ? new Set(out) : undefined;
}

function readResults(root) {
  const dir = join(ROOT, 'coverage', root, 'test-results');
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
}

async function main() {
  if (!ensureNodeModules(ROOT, log)) {
    log('npm ci failed');
    return 1;
  }
  const tools = ['sshd', 'chromium', 'gpg', 'bsdtar'];
  if (!process.env.TEST_REDIS_URL && !process.env.REDIS_URL) {
    tools.unshift('redis-server');
  }
  if (!ensureDebianTools(tools, log)) {
    log('install the packages above and run npm test again');
    return 1;
  }
  log(process.env.TEST_DATABASE_URL ? `database tests on PostgreSQL (TEST_DATABASE_URL)` : 'database tests on PGlite (set TEST_DATABASE_URL for a real PostgreSQL)');

  const only = requestedProjects();
  const projects = workspaceProjects().filter((p) => !only || only.has(p.name));
  const tasks = TARGETS.flatMap((target) => projects.filter((p) => p.targets.includes(target)).map((p) => ({ project: p.name, target })));
  const roots = new Map(projects.filter((p) => tasks.some((t) => t.project === p.name)).map((p) => [p.name, p.root]));
  // Stale results would hide a run that crashed before reporting.
  for (const root of new Set(roots.values())) {
    rmSync(join(ROOT, 'coverage', root, 'test-results'), { recursive: true, force: true });
  }

  const args = ['run-many', '-t', ...TARGETS, '--parallel=2', '--outputStyle=static', ...extra];
  args.push(`--reporters=default`, `--reporters=${REPORTER}`);
  if (process.env.CI) {
    args.push('--ci');
  }
  log(`nx ${args.join(' ')}`);
  const started = Date.now();
  const child = spawn(join(ROOT, 'node_modules/.bin/nx'), args, { cwd: ROOT, env: nxEnv(), stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const nxCode = await new Promise((r) => child.once('exit', (code, signal) => r(code ?? (signal ? 1 : 0))));

  // Totals: test cases from every Jest run; a task that left no results (crashed, or skipped
  // because something it depends on failed) counts as one failure.
  let passed = 0;
  let failed = 0;
  let pending = 0;
  const rows = [];
  const failures = [];
  for (const [project, root] of roots) {
    const results = readResults(root);
    for (const { target } of tasks.filter((t) => t.project === project)) {
      const r = results.find((x) => x.target === target);
      if (!r) {
        rows.push({ task: `${project}:${target}`, passed: 0, failed: 1, note: 'no results (no tests found, did not run, or crashed)' });
        failed += 1;
        continue;
      }
      // A run Jest calls failed without a failing test (no tests found, a broken suite, a global
      // setup error) still counts as one failure: never report "0 failed" for it.
      const broken = r.numRuntimeErrorTestSuites ?? 0;
      let f = r.numFailedTests + broken;
      if (f === 0 && (r.numFailedTestSuites > 0 || (r.numTotalTestSuites === 0 && !r.success))) {
        f = 1;
      }
      passed += r.numPassedTests;
      failed += f;
      pending += r.numPendingTests;
      let note = '';
      if (r.numTotalTests === 0) {
        note = 'no tests';
      } else if (f > r.numFailedTests + broken) {
        note = 'Jest reported a failure';
      }
      rows.push({ task: `${project}:${target}`, passed: r.numPassedTests, failed: f, note });
      failures.push(...r.failures.map((x) => ({ task: `${project}:${target}`, ...x })));
    }
  }

  const out = [];
  out.push('', '── test summary ' + '─'.repeat(56));
  for (const row of rows) {
    out.push(`  ${row.failed > 0 ? 'FAIL' : 'ok  '}  ${row.task.padEnd(40)} ${String(row.passed).padStart(5)} passed ${String(row.failed).padStart(4)} failed  ${row.note}`);
  }
  if (failures.length > 0) {
    out.push('', '  failing tests:');
    for (const f of failures.slice(0, 50)) {
      out.push(`    ${f.task}  ${f.file}  ›  ${f.title}`);
    }
    if (failures.length > 50) {
      out.push(`    … and ${failures.length - 50} more`);
    }
  }
  if (pending > 0) {
    out.push('', `  ${pending} skipped or todo`);
  }
  out.push(`  nx exit code ${nxCode}, ${((Date.now() - started) / 1000).toFixed(0)} s`, '─'.repeat(72));
  process.stdout.write(`${out.join('\n')}\n`);
  if (nxCode !== 0 && failed === 0) {
    failed = 1; // nx failed for a reason no Jest run reported: never print "0 failed" then.
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return nxCode === 0 && failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.stdout.write('0 passed, 1 failed\n');
    process.exit(1);
  },
);
