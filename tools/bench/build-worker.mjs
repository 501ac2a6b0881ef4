#!/usr/bin/env node
// Build worker benchmark, measured at the worker level: job enqueued on `builds` → result posted on
// `results` (the result job's own timestamp, written by the worker on this machine).
//
//   npx nx run build-worker:build && node tools/bench/build-worker.mjs [--runs 10] [--burst 50]
//
// 1. A library of 100 rules, 50 data elements and `core`, built to the managed host: median ≤ 1.5 s.
// 2. The same to a loopback OpenSSH server (Debian `openssh-server`): median ≤ 3 s.
// 3. `--burst` builds enqueued at once with two worker processes: all succeed, none built twice
//    (one result each, every job started once), total time.
// Uses REDIS_URL when set, else a private redis-server. Runs the built worker (dist/apps/build-worker/main.js).
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import * as openpgp from 'openpgp';
import { startPrivateRedis } from '../test/redis-server.mjs';
import {
  DATA_ELEMENTS, RULES, ROOT as root, dataElementRecipe, hex, idOf, median, numberOption, percentile, requireBuilt, requireTools, ruleRecipe, sleep,
  startBuiltApp, startSshd,
} from './build-support.mjs';

const RUNS = numberOption('runs', 10);
const BURST = numberOption('burst', 50);
requireBuilt('build-worker');
requireTools();

// ---------------------------------------------------------------------------------------------
// Environment: Redis, blob root with `core`, server key, private sshd.
const redis = process.env.REDIS_URL ? { url: process.env.REDIS_URL, stop: async () => undefined } : await startPrivateRedis();
const work = mkdtempSync(join(tmpdir(), 'bench-build-worker-'));
const prefix = `bench-${randomUUID()}`;
const blobRoot = join(work, 'blobs');
const corePrefix = 'extension-packages/EPbenchcore/files';
cpSync(join(root, 'extensions/core'), join(blobRoot, corePrefix), { recursive: true });
const manifest = JSON.parse(readFileSync(join(root, 'extensions/core/extension.json'), 'utf8'));

const serverKeyDir = join(work, 'data/keys');
mkdirSync(serverKeyDir, { recursive: true });
const { privateKey: serverPrivate, publicKey: serverPublic } = await openpgp.generateKey({ userIDs: [{ name: 'bench' }], format: 'armored' });
writeFileSync(join(serverKeyDir, 'server-key.asc'), serverPrivate, { mode: 0o600 });

const sshd = await startSshd(work);
const encryptedKey = await openpgp.encrypt({
  message: await openpgp.createMessage({ text: sshd.clientPrivateKey }),
  encryptionKeys: await openpgp.readKey({ armoredKey: serverPublic }),
  format: 'armored',
});

const connection = (() => {
  const u = new URL(redis.url);
  return { host: u.hostname, port: Number(u.port || 6379), maxRetriesPerRequest: null };
})();
const builds = new Queue('builds', { connection, prefix });
const results = new Queue('results', { connection, prefix });
const workers = [];

try {
  workers.push(await startWorker('w1'));
  const managedHost = { id: idOf('HT'), type: 'akamai', name: 'Managed' };
  const sftpHost = {
    id: idOf('HT'),
    type: 'sftp',
    name: 'Loopback SFTP',
    server: '127.0.0.1',
    port: sshd.port,
    username: sshd.username,
    path: sshd.root,
    skipSymlinks: false,
    encryptedPrivateKey: encryptedKey,
  };

  const managed = await sequential('managed (akamai)', managedHost);
  const sftp = await sequential('loopback SFTP', sftpHost);

  workers.push(await startWorker('w2'));
  const burst = await burstRun(managedHost);

  console.log('\nResults');
  console.log(`  managed: median ${managed.median.toFixed(0)} ms (p90 ${managed.p90.toFixed(0)} ms, n=${RUNS}) — target ≤ 1500 ms: ${managed.median <= 1500 ? 'PASS' : 'FAIL'}`);
  console.log(`  sftp:    median ${sftp.median.toFixed(0)} ms (p90 ${sftp.p90.toFixed(0)} ms, n=${RUNS}) — target ≤ 3000 ms: ${sftp.median <= 3000 ? 'PASS' : 'FAIL'}`);
  console.log(
    `  burst:   ${BURST} builds with 2 worker processes: ${burst.succeeded}/${BURST} succeeded, built twice: ${burst.duplicates}, total ${burst.totalMs.toFixed(0)} ms — ${burst.succeeded === BURST && burst.duplicates === 0 ? 'PASS' : 'FAIL'}`,
  );
  process.exitCode = managed.median <= 1500 && sftp.median <= 3000 && burst.succeeded === BURST && burst.duplicates === 0 ? 0 : 1;
} finally {
  for (const w of workers) {
    await w.stop();
  }
  await builds.obliterate({ force: true }).catch(() => undefined);
  await results.obliterate({ force: true }).catch(() => undefined);
  await builds.close();
  await results.close();
  await sshd.stop();
  await redis.stop();
  rmSync(work, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------

function snapshot(host) {
  const company = { id: idOf('CO'), orgId: `${hex(24).toUpperCase()}@AdobeOrg`, token: hex(12) };
  const property = { id: idOf('PR'), name: 'Bench', token: hex(12), settings: { domains: ['example.com'], undefinedVarsReturnEmpty: false, ruleComponentSequencingEnabled: false } };
  const de = (i) => {
    const { name, delegate, settings } = dataElementRecipe(i);
    return {
      id: idOf('DE'), originId: idOf('DE'), name, delegateDescriptorId: delegate, settings: JSON.stringify(settings),
      defaultValue: null, forceLowerCase: false, cleanText: false, storageDuration: null, extensionName: 'core',
    };
  };
  const rc = ({ delegate, settings, order }) => ({
    id: idOf('RC'), originId: idOf('RC'), name: delegate, delegateDescriptorId: delegate, settings: JSON.stringify(settings),
    order, ruleOrder: 50, negate: false, timeout: null, delayNext: true, extensionName: 'core',
  });
  const rules = Array.from({ length: RULES }, (_, i) => {
    const { name, components } = ruleRecipe(i);
    return { id: idOf('RL'), originId: idOf('RL'), name, components: components.map(rc) };
  });
  return {
    company, property,
    environment: { id: idOf('EN'), name: 'Dev', stage: 'development', token: hex(12), path: 'http://127.0.0.1:3000/hosted', libraryPath: `${company.token}/${property.token}` },
    library: { id: idOf('LB'), name: 'Bench', state: 'development' },
    build: { id: idOf('BL'), token: hex(12), createdAt: new Date().toISOString() },
    host,
    extensions: [{
      id: idOf('EX'), originId: idOf('EX'), name: 'core', displayName: 'Core', version: manifest.version, settings: null, delegateDescriptorId: null,
      extensionPackage: { id: 'EPbenchcore', name: 'core', version: manifest.version, filesPrefix: corePrefix, trusted: true, manifest },
    }],
    dataElements: Array.from({ length: DATA_ELEMENTS }, (_, i) => de(i)),
    rules,
  };
}

async function enqueue(snap) {
  const enqueuedAt = Date.now();
  await builds.add('build-library', { buildId: snap.build.id, snapshot: snap }, {
    attempts: 5, backoff: { type: 'exponential', delay: 2000, jitter: 0.5 }, removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: { age: 604800 },
    jobId: `build-${snap.build.id}`,
  });
  return enqueuedAt;
}

async function resultOf(buildId, waitMs = 120000) {
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    const job = await results.getJob(`result-build-${buildId}`);
    if (job) {
      return job;
    }
    await sleep(5);
  }
  throw new Error(`no result for ${buildId}`);
}

async function sequential(label, host) {
  const times = [];
  for (let i = 0; i <= RUNS; i++) {
    const snap = snapshot(host);
    const at = await enqueue(snap);
    const job = await resultOf(snap.build.id);
    if (job.data.status !== 'succeeded') {
      throw new Error(`${label} build failed: ${JSON.stringify(job.data.failures)}`);
    }
    if (i > 0) {
      times.push(job.timestamp - at); // run 0 warms the worker up (engine load, first connection)
    }
  }
  console.log(`${label}: ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
  return { median: median(times), p90: percentile(times, 90) };
}

async function burstRun(host) {
  const snaps = Array.from({ length: BURST }, () => snapshot(host));
  const started = Date.now();
  await Promise.all(snaps.map((s) => enqueue(s)));
  const jobs = await Promise.all(snaps.map((s) => resultOf(s.build.id)));
  const totalMs = Math.max(...jobs.map((j) => j.timestamp)) - started;
  const all = await results.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
  const ids = new Set(snaps.map((s) => s.build.id));
  const perBuild = new Map();
  for (const j of all) {
    if (ids.has(j.data.buildId)) {
      perBuild.set(j.data.buildId, (perBuild.get(j.data.buildId) ?? 0) + 1);
    }
  }
  let startedTwice = 0;
  for (const s of snaps) {
    const job = await builds.getJob(`build-${s.build.id}`);
    if ((job?.attemptsStarted ?? 1) > 1) {
      startedTwice += 1;
    }
  }
  const duplicates = [...perBuild.values()].filter((n) => n > 1).length + startedTwice;
  return { succeeded: jobs.filter((j) => j.data.status === 'succeeded').length, duplicates, totalMs };
}

function startWorker(name) {
  return startBuiltApp('build-worker', {
    name,
    readyText: 'build-worker started',
    logFile: join(work, `${name}.log`),
    env: {
      REDIS_URL: redis.url, QUEUE_PREFIX: prefix, BLOB_ROOT: blobRoot, DATA_DIR: join(work, 'data'),
      SERVER_KEYS_DIR: serverKeyDir, LOG_LEVEL: 'info', WORKER_BUILD_CONCURRENCY: '2',
    },
  });
}
