#!/usr/bin/env node
/**
 * Image Serving error benchmarks (issue 4), against the built server (dist/apps/image-server/main.js)
 * on the errors fixture catalogs:
 *   1. not found, no default or error image   (/is/image/cat/img2?defaultImage=)   target >= 5,000 resp/s
 *   2. error image served from the render cache (/is/image/caterr/img1?wid=abc)     target >= 2,000 resp/s
 *   3. default-image substitution vs a normal request for an image of the same size (200x200 PNG source,
 *      /is/image/cat/img2?wid=150 vs /is/image/cat/noimage?wid=150)             target ratio >= 0.9
 *
 * Usage: npx nx run image-server:build && node tools/bench/image-errors.mjs [--seconds 3] [--rounds 3] [--connections 20]
 * The scenarios run in interleaved rounds so a burst of load from other processes hits all of them
 * alike; each figure is reported as median and best of the rounds, targets are checked on the best
 * (capacity), the default/normal ratio on the median of the per-round ratios.
 * The server runs with LOG_LEVEL=warn (per-request access and failure logs are info level).
 * Exit code 1 when a target is missed.
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const main = resolve(root, 'dist/apps/image-server/main.js');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const seconds = arg('seconds', 3);
const rounds = arg('rounds', 3);
const connections = arg('connections', 20);

if (!existsSync(main)) {
  console.error(`${main} is missing: run "npx nx run image-server:build" first`);
  process.exit(2);
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

async function waitReady(base, child) {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) {
      throw new Error(`server exited with ${child.exitCode}`);
    }
    try {
      const res = await fetch(`${base}/readyz`);
      if (res.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become ready');
}

async function check(base, path, expect) {
  const res = await fetch(base + path);
  const body = Buffer.from(await res.arrayBuffer());
  const headers = Object.fromEntries(res.headers);
  for (const [name, value] of Object.entries(expect.headers ?? {})) {
    if (headers[name.toLowerCase()] !== value) {
      throw new Error(`${path}: header ${name} is ${headers[name.toLowerCase()]}, expected ${value}`);
    }
  }
  if (res.status !== expect.status) {
    throw new Error(`${path}: status ${res.status}, expected ${expect.status} (${body.subarray(0, 200)})`);
  }
  return { status: res.status, bytes: body.length, type: headers['content-type'] };
}

function run(base, path, expectedStatus) {
  return new Promise((resolveRun, reject) => {
    let wrong = 0;
    const instance = autocannon({ url: base + path, connections, duration: seconds, pipelining: 1 }, (err, result) => {
      if (err) {
        reject(err);
        return;
      }
      resolveRun({ rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.timeouts, wrong });
    });
    instance.on('response', (_client, statusCode) => {
      if (statusCode !== expectedStatus) {
        wrong++;
      }
    });
  });
}

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const child = spawn(process.execPath, [main], {
  cwd: root,
  env: {
    ...process.env,
    IMAGE_SERVER_PORT: String(port),
    IMAGE_SERVER_HOST: '127.0.0.1',
    IS_CATALOG_ROOT: resolve(root, 'apps/image-server/test/errors/fixtures/catalogs'),
    IS_ROOT_PATH: resolve(root, 'apps/image-server/test/fixtures'),
    // The level cache is on by default: its files go under tmp/, not the checkout's data/.
    DATA_DIR: resolve(root, 'tmp', 'bench-image-errors'),
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});

const scenarios = [
  { name: 'not found, no error image', path: '/is/image/cat/img2?defaultImage=', status: 403, headers: { 'Cache-Control': 'no-cache, no-store, max-age=0' } },
  { name: 'error image (render cache)', path: '/is/image/caterr/img1?wid=abc', status: 200, headers: { 'X-IS-Error-Image': 'IMG_INVALID_COMMAND_VALUE' } },
  { name: 'default image substitution', path: '/is/image/cat/img2?wid=150', status: 200, headers: { 'X-IS-Default-Image': 'image-not-found; source=attribute' } },
  { name: 'normal image, same size', path: '/is/image/cat/noimage?wid=150', status: 200 },
];

let failed = false;
try {
  await waitReady(base, child);
  const shapes = {};
  for (const s of scenarios) {
    shapes[s.name] = await check(base, s.path, s);
    await run(base, s.path, s.status); // warm-up: caches, JIT
  }
  const perRound = [];
  for (let round = 0; round < rounds; round++) {
    const results = {};
    for (const s of scenarios) {
      results[s.name] = await run(base, s.path, s.status);
    }
    perRound.push(results);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rps = (name) => perRound.map((r) => r[name].rps);
  const ratio = median(perRound.map((r) => r['default image substitution'].rps / r['normal image, same size'].rps));
  console.log(`\nimage-errors bench: ${rounds} interleaved rounds x ${seconds}s per scenario, ${connections} connections, LOG_LEVEL=warn, node ${process.version}\n`);
  for (const s of scenarios) {
    const all = rps(s.name);
    const shape = shapes[s.name];
    const errors = perRound.reduce((n, r) => n + r[s.name].errors + r[s.name].wrong, 0);
    console.log(
      `${s.name.padEnd(30)} median ${median(all).toFixed(0).padStart(6)}  best ${Math.max(...all).toFixed(0).padStart(6)} resp/s  p99 ${String(median(perRound.map((r) => r[s.name].p99))).padStart(4)} ms  ${shape.status} ${shape.type} ${shape.bytes} B  errors ${errors}   ${s.path}`,
    );
    failed ||= errors > 0;
  }
  const targets = [
    [`not found: best ${Math.max(...rps('not found, no error image')).toFixed(0)} >= 5000 resp/s`, Math.max(...rps('not found, no error image')) >= 5000],
    [`error image (cached): best ${Math.max(...rps('error image (render cache)')).toFixed(0)} >= 2000 resp/s`, Math.max(...rps('error image (render cache)')) >= 2000],
    [`default/normal: median ratio ${ratio.toFixed(3)} >= 0.9`, ratio >= 0.9],
  ];
  console.log('');
  for (const [label, ok] of targets) {
    console.log(`${ok ? 'PASS' : 'FAIL'}  ${label}`);
    failed ||= !ok;
  }
} catch (error) {
  console.error(error);
  failed = true;
} finally {
  child.kill('SIGTERM');
}
process.exitCode = failed ? 1 : 0;
