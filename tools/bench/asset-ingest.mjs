#!/usr/bin/env node
// Asset ingest benchmark (issue 17): the 12 mate-backgrounds photos repeated to 120 uploads,
// ingested by two build-worker processes (WORKER_ASSET_CONCURRENCY=2 each) from the staging folder
// into one catalog — validate, pyramid TIFF, rename, record update under the lock, broadcast,
// result — against the ceiling: a bare in-process sharp script doing the same conversion with the
// same number of images in flight (4). Target: workers ≥ 0.8 × the ceiling.
//
//   node tools/bench/asset-ingest.mjs [--uploads 120] [--rounds 2]
//
// The workers run from the TypeScript sources (SWC, as the crash tests do). Uses REDIS_URL when
// set, else a private redis-server. Reports the best round of each side, and enqueue → result
// latency percentiles of the workers' best round.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import sharp from 'sharp';
import { startPrivateRedis } from '../test/redis-server.mjs';
import { median, numberOption, percentile, ROOT, sleep } from './build-support.mjs';
import { matePhotos } from './mate-photos.mjs';

const UPLOADS = numberOption('uploads', 120);
const ROUNDS = numberOption('rounds', 2);
const IN_FLIGHT = 4;

const work = mkdtempSync(join(tmpdir(), 'bench-asset-ingest-'));
// Unpacked where the image-server bench keeps it, so the corpus is fetched once.
const { dir, files } = matePhotos(join(ROOT, 'tmp', 'bench-image-server'));
const sources = Array.from({ length: UPLOADS }, (_, i) => join(dir, files[i % files.length]));
const redis = process.env.REDIS_URL ? { url: process.env.REDIS_URL, stop: async () => undefined } : await startPrivateRedis();
const u = new URL(redis.url);
const connection = { host: u.hostname, port: Number(u.port || 6379), maxRetriesPerRequest: null };

/** The worker's conversion (apps/build-worker/src/assets/pyramid-converter.ts), in this process. */
async function convert(file, target) {
  const meta = await sharp(file, { failOn: 'none', limitInputPixels: false }).metadata();
  if (!meta.format) {
    throw new Error(`${file}: no format`);
  }
  await sharp(file, { failOn: 'error', limitInputPixels: 100_000_000 })
    .rotate()
    .toColourspace('srgb')
    .withIccProfile('srgb')
    .tiff({ compression: 'jpeg', quality: 90, tile: true, tileWidth: 256, tileHeight: 256, pyramid: true })
    .toFile(target);
}

async function ceilingRound(round) {
  const out = join(work, `ceiling-${round}`);
  mkdirSync(out, { recursive: true });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < sources.length) {
        const i = next++;
        await convert(sources[i], join(out, `${i}.tif`));
      }
    }),
  );
  const ms = performance.now() - started;
  rmSync(out, { recursive: true, force: true });
  return { ms, perSecond: (sources.length * 1000) / ms };
}

function startWorker(name, env) {
  const child = spawn(process.execPath, [join(ROOT, 'apps/build-worker/test/support/worker-process.js')], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((r) => child.once('exit', r));
  const ready = (async () => {
    while (!out.includes('worker ready')) {
      if (child.exitCode !== null) {
        throw new Error(`${name} exited: ${out}`);
      }
      await sleep(50);
    }
  })();
  return { ready, stop: async () => (child.exitCode === null ? (child.kill('SIGTERM'), await exited) : undefined), output: () => out };
}

async function workerRound(round) {
  const base = join(work, `workers-${round}`);
  const [catalogs, images, staging] = ['catalogs', 'images', 'staging'].map((d) => join(base, d));
  for (const d of [catalogs, images, staging]) {
    mkdirSync(d, { recursive: true });
  }
  writeFileSync(join(catalogs, 'default.ini'), 'RootId=\n');
  writeFileSync(join(catalogs, 'bench.ini'), 'RootId=bench\nCatalogFile=bench.tsv\n');
  writeFileSync(join(catalogs, 'bench.tsv'), 'Id\tPath\n');
  sources.forEach((file, i) => copyFileSync(file, join(staging, `${i}.jpg`)));
  const prefix = `bench-${randomUUID()}`;
  const env = {
    REDIS_URL: redis.url, QUEUE_PREFIX: prefix, DATA_DIR: join(base, 'data'), BLOB_ROOT: join(base, 'blobs'), LOG_LEVEL: 'warn',
    ASSET_CATALOG_ROOT: catalogs, ASSET_ROOT_PATH: images, ASSET_STAGING_DIR: staging, WORKER_ASSET_CONCURRENCY: '2',
  };
  const workers = [startWorker('w1', env), startWorker('w2', env)];
  const assets = new Queue('assets', { connection, prefix });
  const results = new Queue('asset-results', { connection, prefix });
  try {
    await Promise.all(workers.map((w) => w.ready));
    const enqueued = new Map();
    const started = Date.now();
    for (let i = 0; i < sources.length; i++) {
      const jobId = `b${round}-${i}`;
      enqueued.set(jobId, Date.now());
      const data = { jobId, kind: 'upload', catalog: 'bench', assetId: `photo/${i}`, stagingKey: `${i}.jpg`, originalName: null, record: {}, requestedAt: new Date().toISOString() };
      await assets.add('ingest-asset', data, { jobId: `asset-${jobId}`, attempts: 5, backoff: { type: 'exponential', delay: 2000 } });
    }
    const latencies = [];
    let last = started;
    for (const [jobId, at] of enqueued) {
      let job;
      while (!(job = await results.getJob(`result-asset-${jobId}`))) {
        await sleep(10);
      }
      if (job.data.status !== 'succeeded') {
        throw new Error(`${jobId} failed: ${JSON.stringify(job.data.failures)}`);
      }
      latencies.push(job.timestamp - at);
      last = Math.max(last, job.timestamp);
    }
    const ms = last - started;
    return { ms, perSecond: (sources.length * 1000) / ms, p50: median(latencies), p99: percentile(latencies, 99) };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await assets.obliterate({ force: true }).catch(() => undefined);
    await results.obliterate({ force: true }).catch(() => undefined);
    await assets.close();
    await results.close();
    rmSync(base, { recursive: true, force: true });
  }
}

try {
  const ceiling = [];
  const workers = [];
  for (let round = 1; round <= ROUNDS; round++) {
    ceiling.push(await ceilingRound(round));
    workers.push(await workerRound(round));
    console.log(`round ${round}: ceiling ${ceiling.at(-1).perSecond.toFixed(2)}/s, workers ${workers.at(-1).perSecond.toFixed(2)}/s`);
  }
  const bestCeiling = ceiling.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  const bestWorkers = workers.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  const ratio = bestWorkers.perSecond / bestCeiling.perSecond;
  console.log(`\nAsset ingest — ${UPLOADS} uploads of the 12 mate-backgrounds photos, pyramid TIFF (JPEG q90, 256 tiles), best of ${ROUNDS}`);
  console.log(`  ceiling (in-process sharp, ${IN_FLIGHT} in flight): ${bestCeiling.perSecond.toFixed(2)} images/s (${(bestCeiling.ms / 1000).toFixed(1)} s)`);
  console.log(`  2 workers × 2 (queue → result):         ${bestWorkers.perSecond.toFixed(2)} images/s (${(bestWorkers.ms / 1000).toFixed(1)} s), enqueue → result p50 ${bestWorkers.p50.toFixed(0)} ms, p99 ${bestWorkers.p99.toFixed(0)} ms`);
  console.log(`  ratio ${ratio.toFixed(2)} × ceiling — target ≥ 0.8: ${ratio >= 0.8 ? 'PASS' : 'FAIL'}`);
  process.exitCode = ratio >= 0.8 ? 0 : 1;
} finally {
  await redis.stop();
  rmSync(work, { recursive: true, force: true });
}
