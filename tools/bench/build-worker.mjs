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
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import * as openpgp from 'openpgp';
import { freePort, startPrivateRedis } from '../test/redis-server.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const RUNS = option('runs', 10);
const BURST = option('burst', 50);
const WORKER = join(root, 'dist/apps/build-worker/main.js');
if (!existsSync(WORKER)) {
  console.error(`${WORKER} is missing: run \`npx nx run build-worker:build\` first.`);
  process.exit(2);
}
for (const bin of ['/usr/sbin/sshd', '/usr/bin/ssh-keygen']) {
  if (!existsSync(bin)) {
    console.error(`${bin} is missing: apt-get install -y openssh-server`);
    process.exit(2);
  }
}

const hex = (n) => randomBytes(n).toString('hex').slice(0, n);
const idOf = (prefix) => `${prefix}${hex(32)}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

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
    username: userInfo().username,
    path: join(sshd.dir, 'www'),
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
    w.child.kill('SIGTERM');
    await new Promise((r) => (w.child.exitCode !== null ? r() : w.child.once('exit', r)));
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
    const kinds = [
      ['javascript-variable', { path: `digitalData.page.v${i}` }],
      ['constant', { value: `value ${i}` }],
      ['cookie', { name: `c${i}` }],
      ['query-string-parameter', { name: `q${i}` }],
      ['page-info', { attribute: 'title' }],
      ['custom-code', { source: `return document.title + ' ${i}';` }],
    ];
    const [name, settings] = kinds[i % kinds.length];
    return {
      id: idOf('DE'), originId: idOf('DE'), name: `de ${i}`, delegateDescriptorId: `core::dataElements::${name}`, settings: JSON.stringify(settings),
      defaultValue: null, forceLowerCase: false, cleanText: false, storageDuration: null, extensionName: 'core',
    };
  };
  const rc = (descriptor, settings, order) => ({
    id: idOf('RC'), originId: idOf('RC'), name: descriptor, delegateDescriptorId: descriptor, settings: JSON.stringify(settings),
    order, ruleOrder: 50, negate: false, timeout: null, delayNext: true, extensionName: 'core',
  });
  const events = [['page-bottom', {}], ['dom-ready', {}], ['click', { elementSelector: 'a.buy' }], ['custom-event', { type: 'cart:add' }], ['window-loaded', {}]];
  const rules = Array.from({ length: 100 }, (_, i) => {
    const [event, settings] = events[i % events.length];
    return {
      id: idOf('RL'), originId: idOf('RL'), name: `rule ${i}`,
      components: [
        rc(`core::events::${event}`, settings, 0),
        rc('core::conditions::path', { paths: [{ value: `/section-${i % 7}`, valueIsRegex: false }] }, 1),
        rc('core::actions::custom-code', { language: 'javascript', source: `window.hits = (window.hits || 0) + 1;\nconsole.log('rule ${i}', _satellite.getVar('de ${i % 50}'));` }, 2),
      ],
    };
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
    dataElements: Array.from({ length: 50 }, (_, i) => de(i)),
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

async function startWorker(name) {
  const child = spawn(process.execPath, [WORKER], {
    cwd: root,
    env: {
      ...process.env, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, BLOB_ROOT: blobRoot, DATA_DIR: join(work, 'data'),
      SERVER_KEYS_DIR: serverKeyDir, LOG_LEVEL: 'info', WORKER_BUILD_CONCURRENCY: '2',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise((resolveReady, reject) => {
    const onData = (d) => {
      out += d.toString();
      if (out.includes('build-worker started')) {
        resolveReady();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker ${name} exited with ${code}:\n${out}`)));
  });
  child.stdout.removeAllListeners('data');
  child.stdout.resume();
  child.stderr.resume();
  return { name, child };
}

async function startSshd(base) {
  const dir = join(base, 'sshd');
  mkdirSync(join(dir, 'www'), { recursive: true });
  if (process.getuid?.() === 0) {
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  }
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'client_key')]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')), { mode: 0o600 });
  const port = await freePort();
  writeFileSync(join(dir, 'sshd_config'), [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${join(dir, 'host_key')}`, `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`, 'PasswordAuthentication no', 'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password', 'UsePAM no', 'StrictModes no', `AllowUsers ${userInfo().username}`, 'Subsystem sftp internal-sftp', '',
  ].join('\n'));
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((r) => {
      const s = connect(port, '127.0.0.1');
      s.once('data', (d) => { s.destroy(); r(d.toString().startsWith('SSH-')); });
      s.once('error', () => { s.destroy(); r(false); });
    });
    if (ok) {
      break;
    }
    await sleep(50);
  }
  return {
    dir, port, clientPrivateKey: readFileSync(join(dir, 'client_key'), 'utf8'),
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    },
  };
}
