#!/usr/bin/env node
// Serving a published asset (issue 17, third benchmark): the 12 mate-backgrounds photos uploaded
// through the management API and published by the build worker as pyramid TIFFs, against the same
// photos served as their JPEGs, `wid=300`, 8 connections, cache misses, level cache off
// (IS_LEVEL_CACHE=0, IS_RESULT_CACHE_BYTES=0): the work a request does on each kind of source.
//
//   npx nx run-many -t build -p image-server,build-worker
//   node tools/bench/asset-serving.mjs [--duration 5] [--rounds 2] [--connections 8]
//
// Real processes, all from dist/: one image server (public port + management API), one build
// worker, Redis (REDIS_URL when set, else a private redis-server). Rounds alternate the two kinds
// on the same server, so a slow moment of a shared machine hits both; load from wrk.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivateRedis } from '../test/redis-server.mjs';
import { numberOption, ROOT, requireBuilt, sleep, startBuiltApp } from './build-support.mjs';
import { cpuMsOf, freePort } from './image-bench-server.mjs';
import { matePhotos } from './mate-photos.mjs';
import { ensureWrk, wrk } from './wrk.mjs';

const DURATION = numberOption('duration', 5);
const ROUNDS = numberOption('rounds', 2);
const CONNECTIONS = numberOption('connections', 8);
const log = (m) => process.stderr.write(`${m}\n`);

requireBuilt('image-server', 'build-worker');
const WRK = ensureWrk(log);
if (WRK === undefined) {
  console.error('wrk is needed (apt-get install wrk)');
  process.exit(2);
}
const { dir, files } = matePhotos(join(ROOT, 'tmp', 'bench-image-server'));
const work = mkdtempSync(join(tmpdir(), 'bench-asset-serving-'));
const catalog = join(work, 'catalog');
const images = join(work, 'images');
mkdirSync(catalog, { recursive: true });
mkdirSync(join(images, 'jpeg'), { recursive: true });
cpSync(join(ROOT, 'samples/catalog/default.ini'), join(catalog, 'default.ini'));
writeFileSync(join(catalog, 'photos.ini'), 'RootId=photos\nRootPath=\nCatalogFile=photos.tsv\n');
writeFileSync(join(catalog, 'photos.tsv'), 'Id\tPath\n');
for (const f of files) {
  cpSync(join(dir, f), join(images, 'jpeg', f));
}

const redis = process.env.REDIS_URL ? { url: process.env.REDIS_URL, stop: async () => undefined } : await startPrivateRedis();
const prefix = `bench-serving-${process.pid}`;
const [port, apiPort] = [await freePort(), await freePort()];
const shared = { REDIS_URL: redis.url, QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' };
const server = await startBuiltApp('image-server', {
  env: { ...shared, IMAGE_SERVER_PORT: String(port), IMAGE_SERVER_HOST: '127.0.0.1', IS_CATALOG_ROOT: catalog, IS_ROOT_PATH: images, IS_LEVEL_CACHE: '0', IS_RESULT_CACHE_BYTES: '0', IS_API_PORT: String(apiPort), IS_API_STAGING_DIR: join(work, 'staging'), DATA_DIR: join(work, 'data-s') },
  logFile: join(work, 'image-server.log'),
  readyUrl: `http://127.0.0.1:${port}/healthz`,
});
const worker = await startBuiltApp('build-worker', {
  env: { ...shared, LOG_LEVEL: 'info', DATA_DIR: join(work, 'data-w'), BLOB_ROOT: join(work, 'blobs'), WORKER_PROBE_PORT: String(await freePort()), ASSET_CATALOG_ROOT: catalog, ASSET_ROOT_PATH: images, ASSET_STAGING_DIR: join(work, 'staging') },
  logFile: join(work, 'build-worker.log'),
  readyText: 'build-worker started',
});
const base = `http://127.0.0.1:${port}`;
const api = `http://127.0.0.1:${apiPort}`;

/** A token from the admin CLI, as an operator makes one. */
function token() {
  const cli = spawnSync(process.execPath, [join(ROOT, 'dist/apps/image-server/cli.js'), 'token', 'create', '--catalogs', 'photos', '--name', 'bench'], { env: { ...process.env, ...shared }, encoding: 'utf8' });
  return JSON.parse(cli.stdout).token;
}

/** Uploads every photo as asset p01…p12 and waits for each job to succeed. */
async function publishAll(bearer) {
  const headers = { authorization: `Bearer ${bearer}` };
  const jobs = [];
  for (const [i, f] of files.entries()) {
    const form = new FormData();
    form.set('id', `p${String(i + 1).padStart(2, '0')}`);
    form.set('file', new Blob([readFileSync(join(dir, f))]), f);
    const res = await fetch(`${api}/catalogs/photos/assets`, { method: 'POST', headers, body: form });
    if (res.status !== 202) throw new Error(`upload ${f}: HTTP ${res.status} ${await res.text()}`);
    jobs.push((await res.json()).data.id);
  }
  for (const job of jobs) {
    for (;;) {
      const { attributes } = (await (await fetch(`${api}/jobs/${job}`, { headers })).json()).data;
      if (attributes.status === 'failed') throw new Error(`job ${job} failed: ${JSON.stringify(attributes)}`);
      if (attributes.status === 'succeeded') break;
      await sleep(100);
    }
  }
}

log(`publishing ${files.length} photos through the management API …`);
await publishAll(token());
const kinds = {
  pyramid: files.map((_, i) => `/is/image/photos/p${String(i + 1).padStart(2, '0')}?wid=300`),
  jpeg: files.map((f) => `/is/image/jpeg/${f}?wid=300`),
};
// Both kinds answer: the published record is in the catalog (not the default image) and renders.
for (const [i, f] of files.entries()) {
  const exists = await fetch(`${base}${kinds.pyramid[i].replace('wid=300', 'req=exists')}`).then((r) => r.text());
  const [a, b] = await Promise.all([fetch(`${base}${kinds.pyramid[i]}`), fetch(`${base}${kinds.jpeg[i]}`)]);
  if (a.status !== 200 || b.status !== 200 || !exists.includes('catalogRecord.exists=1')) throw new Error(`${f}: not served both ways`);
}

const totals = { pyramid: { ok: 0, s: 0, cpu: 0, p99: [] }, jpeg: { ok: 0, s: 0, cpu: 0, p99: [] } };
for (let round = 1; round <= ROUNDS; round++) {
  for (const kind of round % 2 === 1 ? ['pyramid', 'jpeg'] : ['jpeg', 'pyramid']) {
    await wrk(WRK, { base, paths: kinds[kind], connections: CONNECTIONS, duration: 1 });
    const cpu0 = cpuMsOf(server.child.pid);
    const r = await wrk(WRK, { base, paths: kinds[kind], connections: CONNECTIONS, duration: DURATION });
    const t = totals[kind];
    t.cpu += cpuMsOf(server.child.pid) - cpu0;
    t.ok += r['2xx'];
    t.s += r.duration;
    t.p99.push(r.latency.p99);
    if (r.non2xx + r.errors > 0) throw new Error(`${kind}: ${r.non2xx} non-2xx, ${r.errors} socket errors`);
    log(`  round ${round} ${kind}: ${(r['2xx'] / r.duration).toFixed(1)} req/s, p99 ${r.latency.p99.toFixed(1)} ms`);
  }
}

const rate = (t) => t.ok / t.s;
const load = loadavg()[0].toFixed(1);
const row = (kind) => {
  const t = totals[kind];
  return `  ${kind.padEnd(8)} ${rate(t).toFixed(1).padStart(7)} req/s   p99 ${Math.max(...t.p99).toFixed(1).padStart(6)} ms (worst round)   CPU ${(t.cpu / t.ok).toFixed(2)} ms/req`;
};
console.log(`serving a published asset (pyramid TIFF from the worker) vs the same photo as its JPEG, wid=300, ${CONNECTIONS} connections, cache misses, IS_LEVEL_CACHE=0, ${ROUNDS} × ${DURATION} s each, 12 mate-backgrounds photos (load average ${load}):`);
console.log(row('pyramid'));
console.log(row('jpeg'));
console.log(`  ratio pyramid / jpeg: ${(rate(totals.pyramid) / rate(totals.jpeg)).toFixed(2)} × throughput, ${(totals.jpeg.cpu / totals.jpeg.ok / (totals.pyramid.cpu / totals.pyramid.ok)).toFixed(2)} × less CPU per request`);

await server.stop();
await worker.stop();
await Promise.race([redis.stop(), sleep(5000)]);
rmSync(work, { recursive: true, force: true });
process.exit(0);
