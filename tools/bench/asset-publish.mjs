#!/usr/bin/env node
// Asset publish latency (issue 17): upload accepted (202 from the management API) → the image
// served (200) by BOTH image-server replicas, over --publishes uploads (default 50), one at a time.
// Real processes: two image-server replicas (one with IS_API_PORT), one build worker (pyramid
// ingest, record writer, assets.changed broadcast), Redis. Reports p50, p90, p99 and max;
// target p99 ≤ 1 s.
//
//   node tools/bench/asset-publish.mjs [--publishes 50] [--width 2000] [--height 1500]
//
// The apps run from their TypeScript sources (SWC, as the tests do). Uses REDIS_URL when set, else
// a private redis-server. The photos are synthetic (a gradient with noise, JPEG q90), each different.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { startPrivateRedis } from '../test/redis-server.mjs';
import { numberOption, percentile, ROOT, sleep } from './build-support.mjs';

const PUBLISHES = numberOption('publishes', 50);
const WIDTH = numberOption('width', 2000);
const HEIGHT = numberOption('height', 1500);

const work = mkdtempSync(join(tmpdir(), 'bench-asset-publish-'));
cpSync(join(ROOT, 'apps/image-server/test/fixtures'), work, { recursive: true });
const redis = process.env.REDIS_URL ? { url: process.env.REDIS_URL, stop: async () => undefined } : await startPrivateRedis();
const prefix = `bench-${randomUUID()}`;

function start(app, env, ready) {
  const entry = join(ROOT, 'apps', app, 'src', 'main.ts');
  const child = spawn(process.execPath, ['-r', join(ROOT, 'tools/test/register-ts.cjs'), entry], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const line = async (msg) => {
    for (;;) {
      const found = out.split('\n').map((l) => { try { return JSON.parse(l); } catch { return undefined; } }).find((l) => l?.msg === msg);
      if (found) return found;
      if (child.exitCode !== null) throw new Error(`${app} exited: ${out}`);
      await sleep(50);
    }
  };
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return { child, line, ready: line(ready), output: () => out, stop: () => new Promise((r) => (gone() ? r() : (child.once('exit', r), child.kill('SIGTERM')))) };
}

const shared = { REDIS_URL: redis.url, QUEUE_PREFIX: prefix, LOG_LEVEL: 'info' };
const server = { ...shared, IS_CATALOG_ROOT: join(work, 'catalog'), IS_ROOT_PATH: work, IS_WATCH_CATALOGS: '0', IMAGE_SERVER_PORT: '0', IMAGE_SERVER_HOST: '127.0.0.1' };
const a = start('image-server', { ...server, IS_API_PORT: '0', IS_API_STAGING_DIR: join(work, 'staging'), DATA_DIR: join(work, 'data-a') }, 'image-server listening');
const b = start('image-server', { ...server, DATA_DIR: join(work, 'data-b') }, 'image-server listening');
const worker = start('build-worker', { ...shared, DATA_DIR: join(work, 'data-w'), BLOB_ROOT: join(work, 'blobs'), ASSET_CATALOG_ROOT: join(work, 'catalog'), ASSET_ROOT_PATH: work, ASSET_STAGING_DIR: join(work, 'staging') }, 'build-worker started');
const log = (m) => process.stderr.write(`${m}\n`);
log('starting two replicas and a worker …');
const replicas = [(await a.ready).url, (await b.ready).url];
const api = (await a.line('image-server management API listening')).url;
await worker.ready;

// A token from the admin CLI, as an operator makes one.
const cli = spawn(process.execPath, ['-r', join(ROOT, 'tools/test/register-ts.cjs'), join(ROOT, 'apps/image-server/src/cli.ts'), 'token', 'create', '--catalogs', 'cat', '--name', 'bench'], { cwd: ROOT, env: { ...process.env, ...shared }, stdio: ['ignore', 'pipe', 'inherit'] });
let cliOut = '';
cli.stdout.on('data', (d) => (cliOut += d));
await new Promise((r) => cli.once('exit', r));
const { token } = JSON.parse(cliOut);

async function photo(i) {
  const noise = await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).raw().toBuffer();
  return sharp(noise, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).modulate({ hue: (i * 37) % 360 }).jpeg({ quality: 90 }).toBuffer();
}

log(`replicas ${replicas.join(' ')}, API ${api}; ${PUBLISHES} publishes …`);
// The fixture catalog has a DefaultImage, so a missing id answers 200 too: served = the record is
// in the replica's catalog (req=exists) and its image renders.
const servedBy = async (r, id) =>
  (await fetch(`${r}/is/image/cat/${id}?req=exists`).then((res) => res.text())).includes('catalogRecord.exists=1') &&
  (await fetch(`${r}/is/image/cat/${id}?wid=300`)).status === 200;
const served = async (id) => (await Promise.all(replicas.map((r) => servedBy(r, id)))).every(Boolean);
const latencies = [];
for (let i = 0; i < PUBLISHES; i++) {
  const id = `bench-${i}`;
  const form = new FormData();
  form.set('id', id);
  form.set('file', new Blob([await photo(i)]), `${id}.jpg`);
  const response = await fetch(`${api}/catalogs/cat/assets`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  if (response.status !== 202) throw new Error(`upload ${i}: HTTP ${response.status} ${await response.text()}`);
  const accepted = performance.now();
  while (!(await served(id))) {
    if (performance.now() - accepted > 60_000) throw new Error(`${id} not served within 60 s`);
    await sleep(5);
  }
  latencies.push(performance.now() - accepted);
  if ((i + 1) % 10 === 0) log(`  ${i + 1} published`);
}

const f = (ms) => `${Math.round(ms)} ms`;
console.log(`asset publish, upload accepted → served by both replicas, ${PUBLISHES} publishes of ${WIDTH}×${HEIGHT} JPEGs:`);
console.log(`  p50 ${f(percentile(latencies, 50))}  p90 ${f(percentile(latencies, 90))}  p99 ${f(percentile(latencies, 99))}  max ${f(Math.max(...latencies))}`);
console.log(`  target p99 ≤ 1000 ms: ${percentile(latencies, 99) <= 1000 ? 'met' : 'NOT met'}`);

for (const app of [a, b, worker]) {
  await app.stop();
  log(`stopped pid ${app.child.pid}`);
}
// startPrivateRedis().stop() waits on unref'd handles only: keep the loop alive while it runs.
await Promise.race([redis.stop(), sleep(5000)]);
rmSync(work, { recursive: true, force: true });
process.exit(0);
