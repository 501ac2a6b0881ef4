#!/usr/bin/env node
// Build benchmark over HTTP, against the BUILT reactor-api and build-worker (child processes), a
// private redis-server, PostgreSQL from DATABASE_URL (a throwaway schema, dropped at the end) or
// else PGlite, and a private OpenSSH sshd on loopback. A property with a library of 100 rules (an
// event, a condition and a custom-code action from `core` each), 50 data elements and `core`:
//
// 1. managed (akamai) host: POST /libraries/{id}/builds → `succeeded` seen by polling
//    GET /builds/{id} every --poll ms; median over --runs builds ≤ 1.5 s;
// 2. the same to the loopback SFTP host: median ≤ 3 s;
// 3. --burst builds posted at once (as many libraries, each on its own development environment)
//    with TWO build-worker processes: all succeed, none built twice (each build started exactly
//    once across both workers' logs), total time from the first POST to the last `succeeded` seen;
// 4. a revoked SSH key: time from the worker's authentication failure (the time of its
//    `job build-library failed` log line, same machine clock) to the deferred error visible in
//    GET /builds/{id}: ≤ 1 s; POST → `failed` seen is reported too.
//
//   npx nx run-many -t build --projects=reactor-api,build-worker
//   node tools/bench/builds-http.mjs [--runs 10] [--burst 50] [--auth-runs 5] [--poll 20]
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node tools/bench/builds-http.mjs
//
// Uses REDIS_URL when set (with a private BullMQ prefix), else a private redis-server.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as openpgp from 'openpgp';
import pg from 'pg';
import { freePort, startPrivateRedis } from '../test/redis-server.mjs';
import {
  DATA_ELEMENTS, RULES, dataElementRecipe, hex, median, numberOption, percentile, requireBuilt, requireTools, ruleRecipe, sleep, startBuiltApp,
  startSshd,
} from './build-support.mjs';

const RUNS = numberOption('runs', 10);
const BURST = numberOption('burst', 50);
const AUTH_RUNS = numberOption('auth-runs', 5);
const POLL_MS = numberOption('poll', 20);
requireBuilt('reactor-api', 'build-worker');
requireTools();

const work = mkdtempSync(join(tmpdir(), 'bench-builds-http-'));
const redis = process.env.REDIS_URL ? { url: process.env.REDIS_URL, stop: async () => undefined } : await startPrivateRedis();
const databaseUrl = process.env.DATABASE_URL;
const schema = databaseUrl ? `bench_${hex(12)}` : undefined;
const sshd = await startSshd(work);
const port = await freePort();
const baseUrl = `http://127.0.0.1:${port}`;
const token = `bench_${hex(48)}`;
const shared = { REDIS_URL: redis.url, QUEUE_PREFIX: `bench-${randomUUID()}`, DATA_DIR: join(work, 'data'), BLOB_ROOT: join(work, 'blobs') };
const apps = [];
const loadBefore = loadavg()[0];

try {
  apps.push(
    await startBuiltApp('reactor-api', {
      logFile: join(work, 'reactor-api.log'),
      readyUrl: `${baseUrl}/readyz`,
      env: {
        ...shared,
        REACTOR_API_PORT: String(port),
        REACTOR_API_HOST: '127.0.0.1',
        PUBLIC_BASE_URL: baseUrl,
        DATABASE_URL: databaseUrl,
        DATABASE_SCHEMA: schema,
        REACTOR_BOOTSTRAP_TOKEN: token,
        REACTOR_BOOTSTRAP_ORG: `${hex(24).toUpperCase()}@AdobeOrg`,
        SFTP_ALLOWED_PORTS: String(sshd.port),
        // One access-log line per request at info; at a 20 ms poll that is noise, not information.
        LOG_LEVEL: 'warn',
      },
    }),
  );
  const workers = [await startWorker('w1')];
  apps.push(...workers);

  console.log(`database: ${databaseUrl ? `PostgreSQL (schema ${schema})` : 'PGlite'}; poll interval ${POLL_MS} ms; load average ${loadBefore.toFixed(1)}`);
  const fixture = await createFixture();
  const managedHost = await createHost(fixture, { name: 'Managed', type_of: 'akamai' });
  const sftpHost = await createHost(fixture, await sftpHostAttributes('Loopback SFTP', sshd.clientPrivateKey));

  const managed = await sequential('managed (akamai)', await libraryOn(fixture, await environmentOn(fixture, managedHost, 'managed')), workers);
  const sftp = await sequential('loopback SFTP', await libraryOn(fixture, await environmentOn(fixture, sftpHost, 'sftp')), workers);

  workers.push(await startWorker('w2'));
  apps.push(workers[1]);
  const burst = await burstRun(fixture, managedHost, workers);

  const auth = await authFailures(fixture, workers);

  const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
  const ms = (x) => `${x.toFixed(0)} ms`;
  const rows = [
    [`managed: POST → succeeded, median (p90), n=${RUNS}`, `${ms(managed.median)} (${ms(managed.p90)})`, '≤ 1500 ms', verdict(managed.median <= 1500)],
    [`loopback SFTP: POST → succeeded, median (p90), n=${RUNS}`, `${ms(sftp.median)} (${ms(sftp.p90)})`, '≤ 3000 ms', verdict(sftp.median <= 3000)],
    [
      `${BURST} builds posted at once, 2 worker processes`,
      `${burst.succeeded}/${BURST} succeeded, built twice: ${burst.twice}, never started: ${burst.unstarted} (${burst.perWorker}), total ${(burst.totalMs / 1000).toFixed(1)} s`,
      'all succeed, none twice',
      verdict(burst.succeeded === BURST && burst.twice === 0 && burst.unstarted === 0),
    ],
    [`auth failure (worker log) → visible in GET, median (max), n=${AUTH_RUNS}`, `${ms(auth.gapMedian)} (${ms(auth.gapMax)})`, '≤ 1000 ms', verdict(auth.gapMax <= 1000)],
    [`auth failure: POST → failed visible, median (max), n=${AUTH_RUNS}`, `${ms(auth.postMedian)} (${ms(auth.postMax)})`, '(for reference)', ''],
  ];
  printTable(['measure', 'figure', 'target', ''], rows);
  console.log(`poll interval ${POLL_MS} ms (figures include up to one interval); load average ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}`);
  process.exitCode = rows.some((r) => r[3] === 'FAIL') ? 1 : 0;
} catch (error) {
  console.error(error);
  for (const app of apps) {
    console.error(`--- last lines of ${app.name}:\n${app.lines().slice(-15).map((l) => JSON.stringify(l)).join('\n')}`);
  }
  process.exitCode = 1;
} finally {
  for (const app of apps.reverse()) {
    await app.stop();
  }
  if (databaseUrl && schema) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end());
  }
  await sshd.stop();
  await redis.stop();
  rmSync(work, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------

function startWorker(name) {
  return startBuiltApp('build-worker', { name, logFile: join(work, `${name}.log`), readyText: 'build-worker started', env: { ...shared, LOG_LEVEL: 'info' } });
}

async function request(method, path, body) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'x-api-key': 'Activation-DTM',
      accept: 'application/vnd.api+json;revision=1',
      ...(body === undefined ? {} : { 'content-type': 'application/vnd.api+json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

/** The `data` of an answer with the expected status; throws with the answer otherwise. */
async function must(expected, method, path, body) {
  const res = await request(method, path, body);
  if (res.status !== expected) {
    throw new Error(`${method} ${path}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body).slice(0, 1000)}`);
  }
  return res.body.data;
}

function rel(type, id) {
  return { data: { id, type } };
}

async function revise(type, id) {
  return (await must(200, 'PATCH', `/${type}/${id}`, { data: { id, type, attributes: {}, meta: { action: 'revise' } } })).id;
}

/** Runs `fn` over `items`, `concurrency` at a time, keeping the order of results. */
async function pool(items, concurrency, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

/** The property and the revisions every library of this run holds: core, 50 data elements, 100 rules. */
async function createFixture() {
  const started = performance.now();
  const [company] = await must(200, 'GET', '/companies');
  const property = await must(201, 'POST', `/companies/${company.id}/properties`, {
    data: { type: 'properties', attributes: { name: 'Builds bench', platform: 'web', domains: ['example.com'] } },
  });
  const [core] = await must(200, 'GET', `/properties/${property.id}/extensions?filter[name]=EQ%20core`);
  const extensions = [{ id: await revise('extensions', core.id), type: 'extensions' }];
  const dataElements = await pool(Array.from({ length: DATA_ELEMENTS }, (_, i) => i), 4, async (i) => {
    const { name, delegate, settings } = dataElementRecipe(i);
    const de = await must(201, 'POST', `/properties/${property.id}/data_elements`, {
      data: { type: 'data_elements', attributes: { name, delegate_descriptor_id: delegate, settings: JSON.stringify(settings) }, relationships: { extension: rel('extensions', core.id) } },
    });
    return { id: await revise('data_elements', de.id), type: 'data_elements' };
  });
  const rules = await pool(Array.from({ length: RULES }, (_, i) => i), 4, async (i) => {
    const { name, components } = ruleRecipe(i);
    const rule = await must(201, 'POST', `/properties/${property.id}/rules`, { data: { type: 'rules', attributes: { name } } });
    for (const c of components) {
      await must(201, 'POST', `/properties/${property.id}/rule_components`, {
        data: {
          type: 'rule_components',
          attributes: { name: c.delegate, delegate_descriptor_id: c.delegate, settings: JSON.stringify(c.settings), order: c.order, rule_order: 50 },
          relationships: { extension: rel('extensions', core.id), rules: { data: [{ id: rule.id, type: 'rules' }] } },
        },
      });
    }
    return { id: await revise('rules', rule.id), type: 'rules' };
  });
  console.log(`fixture: ${RULES} rules, ${DATA_ELEMENTS} data elements and core created over HTTP in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { property: property.id, extensions, dataElements, rules };
}

/** SFTP host attributes with `privateKey` encrypted to GET /encryption_key, as users do. */
async function sftpHostAttributes(name, privateKey) {
  const armoredKey = await (await fetch(`${baseUrl}/encryption_key`)).text();
  const encrypted = await openpgp.encrypt({ message: await openpgp.createMessage({ text: privateKey }), encryptionKeys: await openpgp.readKey({ armoredKey }), format: 'armored' });
  return { name, type_of: 'sftp', server: '127.0.0.1', port: sshd.port, username: sshd.username, path: sshd.root, skip_symlinks: false, encrypted_private_key: encrypted };
}

/** Creates a host and waits for its pretest (SFTP) to succeed. */
async function createHost(fixture, attributes) {
  const host = await must(201, 'POST', `/properties/${fixture.property}/hosts`, { data: { type: 'hosts', attributes } });
  for (let status = host.attributes.status; ; ) {
    if (status === 'succeeded') {
      return host.id;
    }
    if (status !== 'pending') {
      throw new Error(`host ${attributes.name} ${status}: ${JSON.stringify((await must(200, 'GET', `/hosts/${host.id}`)).meta)}`);
    }
    await sleep(POLL_MS);
    status = (await must(200, 'GET', `/hosts/${host.id}`)).attributes.status;
  }
}

async function environmentOn(fixture, host, name) {
  return (await must(201, 'POST', `/properties/${fixture.property}/environments`, {
    data: { type: 'environments', attributes: { name, stage: 'development' }, relationships: { host: rel('hosts', host) } },
  })).id;
}

/** A development library holding the fixture's revisions, assigned to `environment`. */
async function libraryOn(fixture, environment) {
  const library = await must(201, 'POST', `/properties/${fixture.property}/libraries`, { data: { type: 'libraries', attributes: { name: `Library ${environment}` } } });
  for (const type of ['extensions', 'data_elements', 'rules']) {
    const key = { extensions: 'extensions', data_elements: 'dataElements', rules: 'rules' }[type];
    await must(200, 'POST', `/libraries/${library.id}/relationships/${type}`, { data: fixture[key] });
  }
  await must(200, 'PATCH', `/libraries/${library.id}/relationships/environment`, { data: { id: environment, type: 'environments' } });
  return library.id;
}

/** POST a build and poll it every POLL_MS until it leaves `pending`. */
async function timedBuild(library) {
  const postedAt = Date.now();
  const started = performance.now();
  const { id } = await must(201, 'POST', `/libraries/${library}/builds`);
  const answeredMs = performance.now() - started;
  for (;;) {
    const build = await must(200, 'GET', `/builds/${id}`);
    if (build.attributes.status !== 'pending') {
      return { id, build, ms: performance.now() - started, answeredMs, postedAt, visibleAt: Date.now() };
    }
    await sleep(POLL_MS);
  }
}

function expectSucceeded(label, { id, build }) {
  if (build.attributes.status !== 'succeeded') {
    throw new Error(`${label}: build ${id} ${build.attributes.status}: ${JSON.stringify(build.meta?.status_details)}`);
  }
}

async function sequential(label, library, workers) {
  const times = [];
  const parts = [];
  for (let i = 0; i <= RUNS; i++) {
    const result = await timedBuild(library);
    expectSucceeded(label, result);
    if (i > 0) {
      times.push(result.ms); // run 0 warms up (engine load, first connection)
      parts.push(await phasesOf(workers, result));
    }
  }
  const med = (k) => median(parts.map((p) => p[k])).toFixed(0);
  console.log(`${label}: ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
  console.log(`  medians: POST answered ${med('answered')} ms; POST → worker started ${med('queued')} ms; build + deploy ${med('work')} ms; result posted → seen ${med('applied')} ms`);
  return { median: median(times), p90: percentile(times, 90) };
}

/** Where a build's time went, from the POST and the worker's log (same machine clock). */
async function phasesOf(workers, result) {
  const at = (line) => Date.parse(line.time);
  let started;
  let posted;
  for (let tries = 0; (!started || !posted) && tries < 100; tries++) {
    const lines = workers.flatMap((w) => w.lines());
    started = lines.find((l) => l.buildId === result.id && /started$/.test(l.msg));
    posted = lines.find((l) => l.jobId === `result-build-${result.id}` && /^posted/.test(l.msg));
    if (!started || !posted) {
      await sleep(10);
    }
  }
  if (!started || !posted) {
    throw new Error(`worker log lines of ${result.id} not found`);
  }
  return { answered: result.answeredMs, queued: at(started) - result.postedAt, work: at(posted) - at(started), applied: result.visibleAt - at(posted) };
}

/** Worker log lines about one build, from every worker. */
function workerLines(workers, buildId) {
  return workers.flatMap((w) => w.lines().filter((l) => l.buildId === buildId).map((l) => ({ ...l, worker: w.name })));
}

async function burstRun(fixture, host, workers) {
  const libraries = [];
  for (let i = 0; i < BURST; i++) {
    libraries.push(await libraryOn(fixture, await environmentOn(fixture, host, `burst ${i}`)));
  }
  const started = performance.now();
  const posted = await Promise.all(libraries.map((l) => must(201, 'POST', `/libraries/${l}/builds`)));
  // One poller walks the pending builds (50 pollers at 20 ms would load the 2-core machine more
  // than the builds do); the total's resolution is one walk over the pending builds.
  const pending = new Map(posted.map((b) => [b.id, b]));
  const done = new Map();
  let lastSeen = started;
  while (pending.size > 0) {
    for (const id of [...pending.keys()]) {
      const build = await must(200, 'GET', `/builds/${id}`);
      if (build.attributes.status !== 'pending') {
        pending.delete(id);
        done.set(id, build);
        lastSeen = performance.now();
      }
    }
    await sleep(POLL_MS);
  }
  const starts = posted.map((b) => workerLines(workers, b.id).filter((l) => /^Build \S+ of library \S+ started$/.test(l.msg)));
  const perWorker = workers.map((w) => `${w.name} ${starts.filter((s) => s.some((l) => l.worker === w.name)).length}`).join(', ');
  return {
    succeeded: [...done.values()].filter((b) => b.attributes.status === 'succeeded').length,
    twice: starts.filter((s) => s.length > 1).length,
    unstarted: starts.filter((s) => s.length === 0).length,
    perWorker,
    totalMs: lastSeen - started,
  };
}

async function authFailures(fixture, workers) {
  const revocable = sshd.newKey('revocable');
  sshd.authorize([sshd.clientPublicKey, revocable.publicKey]);
  const host = await createHost(fixture, await sftpHostAttributes('Revocable', revocable.privateKey));
  const library = await libraryOn(fixture, await environmentOn(fixture, host, 'revoked'));
  sshd.authorize([sshd.clientPublicKey]);
  const gaps = [];
  const posts = [];
  for (let i = 0; i < AUTH_RUNS; i++) {
    const result = await timedBuild(library);
    const error = result.build.meta?.status_details?.errors?.[0];
    if (error?.code !== 'sftp-authentication-failed') {
      throw new Error(`build ${result.id}: expected sftp-authentication-failed, got ${result.build.attributes.status} ${JSON.stringify(error)}`);
    }
    // The worker logs the failure before it posts the result; wait for the line to reach us.
    let failedLine;
    for (let tries = 0; !failedLine && tries < 100; tries++) {
      failedLine = workerLines(workers, result.id).find((l) => l.msg === 'job build-library failed');
      if (!failedLine) {
        await sleep(10);
      }
    }
    if (!failedLine) {
      throw new Error(`no worker log line for the failure of ${result.id}`);
    }
    gaps.push(result.visibleAt - Date.parse(failedLine.time));
    posts.push(result.ms);
  }
  console.log(`auth failure → visible: ${gaps.map((t) => t.toFixed(0)).join(', ')} ms; POST → failed: ${posts.map((t) => t.toFixed(0)).join(', ')} ms`);
  return { gapMedian: median(gaps), gapMax: Math.max(...gaps), postMedian: median(posts), postMax: Math.max(...posts) };
}

function printTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) {
    console.log(line(row));
  }
}
