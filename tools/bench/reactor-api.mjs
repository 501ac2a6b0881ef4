#!/usr/bin/env node
// Benchmark of reactor-api against the ceiling of its stack (issue 5):
//   GET /rules/{id} and GET /properties/{id}/rules?page[size]=25 over a property with 1,000 rules,
//   8 connections, side by side with a minimal Fastify + pg handler reading the same rows and
//   writing the same JSON. Targets: >= 0.5 x the ceiling's throughput, p99 <= 25 ms.
//
// Needs: `npm run build` (dist/apps/reactor-api/main.js), a PostgreSQL server in DATABASE_URL (this
// script does not start one: initdb refuses to run as root, and a shared machine's server is the
// realistic target), and redis-server on PATH or REDIS_URL. Everything goes into a throwaway schema
// that is dropped at the end.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node tools/bench/reactor-api.mjs \
//     [--duration 8] [--rounds 3] [--connections 8] [--only TEXT] [--ceiling-unnamed] [--log-level L] [--node-args='...'] [--main FILE] [--profile DIR] [--hold]
//
// Fairness on a small shared machine:
// - reactor-api and the ceiling are both separate processes (the ceiling is this script started
//   with --serve-ceiling), so neither shares an event loop with the load generator;
// - they run alternately in interleaved rounds (order swapped every round) after a warm-up, and
//   the medians count; CPU milliseconds per request of each server process are reported too,
//   which the machine's other load disturbs much less than throughput;
// - reactor-api runs at its default log level (info: one access-log line per request, to
//   /dev/null), as in production;
// - both read with the same SQL as named statements (reactor-api adds its company check), after a
//   VACUUM ANALYZE of the seeded tables (a database in steady state).
// --profile DIR: only reactor-api is loaded, under `node --cpu-prof`, and the profile lands in DIR.
// --only TEXT: only the cases whose label contains TEXT (e.g. --only properties).
// --hold: set everything up, print how to reach it (schema, ids, URLs), wait for Ctrl-C.
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const self = fileURLToPath(import.meta.url);
const root = resolve(dirname(self), '../..');

/** `--name value` and `--name=value`; a flag alone is 'true'. */
function option(name, fallback) {
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}`) {
      const next = argv[i + 1];
      return next === undefined || next.startsWith('--') ? 'true' : next;
    }
    if (argv[i].startsWith(`--${name}=`)) {
      return argv[i].slice(name.length + 3);
    }
  }
  return fallback;
}

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('DATABASE_URL is required (a PostgreSQL server), e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres');
  process.exit(2);
}

// ---------- the ceiling: the smallest handler that reads the same rows and writes the same JSON ----------

// Like reactor-api (src/database/named-statements.ts), the ceiling runs its statements as named
// (server-side prepared) statements, so the database parses and plans each once per connection:
// the ratio then measures the app, not a database protocol difference. --ceiling-unnamed gives the
// ceiling plain (unnamed) statements instead, as the first version of this benchmark had.

/**
 * The SQL of reactor-api's rules list (RevisionedRepository.listHeads + jsonapi/list-sql.ts shapeList):
 * the page in index order plus the total as a scalar subquery, minus the company join (the ceiling
 * has no tenants), as GET /rules/{id} below is reactor-api's row read minus that join.
 */
const HEADS = 'property_id = $1 and type = $2 and revision_number = 0 and deleted_at is null';
const LIST_SQL = `select *, (select count(*) from revisioned where ${HEADS}) as total from revisioned where ${HEADS} order by created_at, id limit 25 offset 0`;

async function serveCeiling() {
  const schema = option('schema');
  const base = option('base');
  const named = option('unnamed') !== 'true';
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, options: `-c search_path=${schema}` });
  const ceiling = Fastify({ logger: false });
  const iso = (d) => (d == null ? null : new Date(d).toISOString());
  const rel = (type, id, name, target) => ({ links: { related: `${base}/${type}/${id}/${name}` }, data: target });
  const many = (type, id, name) => ({ links: { related: `${base}/${type}/${id}/${name}` } });
  const present = (r) => ({
    id: r.id,
    type: 'rules',
    attributes: {
      name: r.name, enabled: r.enabled, dirty: r.dirty, published: r.published, published_at: iso(r.published_at), deleted_at: iso(r.deleted_at),
      revision_number: r.revision_number, review_status: r.review_status, created_at: iso(r.created_at), updated_at: iso(r.updated_at),
    },
    relationships: {
      origin: rel('rules', r.id, 'origin', { id: r.origin_id, type: 'rules' }),
      property: rel('rules', r.id, 'property', { id: r.property_id, type: 'properties' }),
      revisions: many('rules', r.id, 'revisions'), libraries: many('rules', r.id, 'libraries'), notes: many('rules', r.id, 'notes'),
      rule_components: many('rules', r.id, 'rule_components'),
    },
    links: { self: `${base}/rules/${r.id}`, origin: `${base}/rules/${r.id}/origin` },
    meta: { latest_revision_number: r.latest_revision_number, deleted_at: iso(r.deleted_at) },
  });
  ceiling.get('/rules/:id', async (req, reply) => {
    const { rows } = await pool.query({ name: named ? 'rule' : undefined, text: 'select * from revisioned where id = $1 and type = $2', values: [req.params.id, 'rules'] });
    return reply.type('application/vnd.api+json').send({ data: present(rows[0]) });
  });
  ceiling.get('/properties/:id/rules', async (req, reply) => {
    const { rows } = await pool.query({ name: named ? 'rules' : undefined, text: LIST_SQL, values: [req.params.id, 'rules'] });
    const total = Number(rows[0]?.total ?? 0);
    const pages = Math.ceil(total / 25);
    return reply.type('application/vnd.api+json').send({ data: rows.map(present), meta: { pagination: { current_page: 1, next_page: pages > 1 ? 2 : null, prev_page: null, total_pages: pages, total_count: total } } });
  });
  ceiling.server.on('connection', (socket) => socket.setNoDelay(true));
  const address = await ceiling.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${address}\n`);
  const stop = () => ceiling.close().then(() => pool.end()).then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

// ---------- the benchmark ----------

const freePort = () =>
  new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });

/** CPU time (user + system, ms) a process has used so far. */
function cpuMsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function bench() {
  const duration = Number(option('duration', '10'));
  const rounds = Number(option('rounds', '3'));
  const connections = Number(option('connections', '8'));
  const profileDir = option('profile');
  const hold = option('hold') === 'true';
  const main = resolve(option('main', join(root, 'dist/apps/reactor-api/main.js')));
  if (!existsSync(main)) {
    console.error('Build first: npm run build (or npx nx run reactor-api:build)');
    process.exit(2);
  }

  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'reactor-bench-'));
  const token = `bench-${randomBytes(16).toString('hex')}`;
  const cleanups = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) {
      await fn().catch(() => undefined);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Runs last (cleanups run in reverse): the servers are stopped before the schema goes.
  cleanups.push(async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  });
  const stopChild = (child) => async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  };

  try {
    let redisUrl = process.env.REDIS_URL;
    if (!redisUrl) {
      const { startPrivateRedis } = await import(join(root, 'tools/test/redis-server.mjs'));
      const redis = await startPrivateRedis();
      redisUrl = redis.url;
      cleanups.push(() => redis.stop());
    }
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const appEnv = { ...process.env };
    delete appEnv.LOG_LEVEL;
    if (option('log-level') !== undefined) {
      appEnv.LOG_LEVEL = option('log-level');
    }
    const appStarted = Date.now();
    const app = spawn(process.execPath, [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(profileDir)}`] : []), ...(option('node-args') ?? '').split(' ').filter(Boolean), main], {
      env: {
        ...appEnv,
        REACTOR_API_PORT: String(port),
        REACTOR_API_HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        DATABASE_SCHEMA: schema,
        REDIS_URL: redisUrl,
        PUBLIC_BASE_URL: base,
        REACTOR_BOOTSTRAP_TOKEN: token,
        REACTOR_BOOTSTRAP_ORG: 'BENCH00000000@AdobeOrg',
        DATA_DIR: dir,
        BLOB_ROOT: join(dir, 'blobs'),
        SERVER_KEYS_DIR: join(dir, 'keys'),
        QUEUE_PREFIX: `bench-${schema}`,
        CORE_EXTENSION_DIR: join(root, 'apps/reactor-api/test/fixtures/core'),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    cleanups.push(stopChild(app));
    const headers = { authorization: `Bearer ${token}`, 'x-api-key': 'bench', accept: 'application/vnd.api+json;revision=1', 'content-type': 'application/vnd.api+json' };
    for (let i = 0; ; i++) {
      const ok = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
      if (ok) break;
      if (i > 300 || app.exitCode !== null) throw new Error('reactor-api did not become ready');
      await new Promise((r) => setTimeout(r, 100));
    }
    const call = async (method, path, body) => {
      const res = await fetch(`${base}${path}`, { method, headers, body: body && JSON.stringify(body) });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    const company = (await call('GET', '/companies')).data[0].id;
    const property = (await call('POST', `/companies/${company}/properties`, { data: { type: 'properties', attributes: { name: 'bench', platform: 'web', domains: ['example.com'] } } })).data.id;
    const ruleIds = [];
    for (let i = 0; i < 1000; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, (_, j) => call('POST', `/properties/${property}/rules`, { data: { type: 'rules', attributes: { name: `Rule ${String(i + j).padStart(4, '0')}` } } })),
      );
      ruleIds.push(...batch.map((b) => b.data.id));
    }
    const ruleId = ruleIds[500];
    // A database in steady state: statistics known and the visibility map set (autovacuum would do
    // both within a minute or so), for reactor-api and the ceiling alike.
    {
      const client = new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
      await client.connect();
      await client.query('vacuum analyze revisioned, properties, companies, api_tokens');
      await client.end();
    }
    const only = option('only');
    const cases = [
      ['GET /rules/{id}', `/rules/${ruleId}`],
      ['GET /properties/{id}/rules?page[size]=25', `/properties/${property}/rules?page[size]=25`],
    ].filter(([label]) => only === undefined || label.includes(only));

    const ceilingArgs = ['--serve-ceiling', '--schema', schema, '--base', base, ...(option('ceiling-unnamed') === 'true' ? ['--unnamed'] : [])];
    const ceiling = spawn(process.execPath, [self, ...ceilingArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(stopChild(ceiling));
    const ceilingBase = await new Promise((res, rej) => {
      ceiling.stdout.once('data', (chunk) => res(String(chunk).trim()));
      ceiling.once('exit', () => rej(new Error('the ceiling server did not start')));
    });

    // Both must write the same document, or the comparison means nothing.
    for (const [label, path] of cases) {
      const [ours, theirs] = await Promise.all([call('GET', path), fetch(`${ceilingBase}${path}`).then((r) => r.json())]);
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
        throw new Error(`${label}: reactor-api and the ceiling answer differently\n${JSON.stringify(ours).slice(0, 600)}\n${JSON.stringify(theirs).slice(0, 600)}`);
      }
    }

    if (hold) {
      console.log(`app pid ${app.pid}, ceiling pid ${ceiling.pid}\nredis ${redisUrl}\nschema ${schema}\nproperty ${property}\nrule ${ruleId}\nreactor-api ${base}\nceiling ${ceilingBase}\ntoken ${token}\nCtrl-C to stop and clean up.`);
      await new Promise((r) => process.once('SIGINT', r));
      return;
    }

    const load = (url, seconds) =>
      new Promise((res, rej) => autocannon({ url, connections, duration: seconds, headers }, (err, result) => (err ? rej(err) : res(result))));
    const measure = async (server, url) => {
      const before = cpuMsOf(server.pid);
      const result = await load(url, duration);
      const cpu = cpuMsOf(server.pid) - before;
      const ok = result['2xx'];
      return { rps: ok / result.duration, p50: result.latency.p50, p99: result.latency.p99, cpuPerReq: cpu / Math.max(1, ok), bad: result.non2xx + result.errors + result.timeouts };
    };

    if (profileDir) {
      for (const [label, path] of cases) {
        const from = (Date.now() - appStarted) / 1000;
        const r = await measure(app, `${base}${path}`);
        const to = (Date.now() - appStarted) / 1000;
        console.log(`${label}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms (profiling; load from ${from.toFixed(1)} s to ${to.toFixed(1)} s after start)`);
      }
      console.log(`CPU profile of reactor-api written to ${resolve(profileDir)} when it exits`);
      return;
    }

    console.log(
      `reactor-api bench: ${ruleIds.length} rules, ${connections} connections, ${duration}s per run, median of ${rounds} interleaved rounds, ` +
        `ceiling with ${option('ceiling-unnamed') === 'true' ? 'unnamed' : 'named'} statements, ` +
        `PostgreSQL ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}`,
    );
    for (const [, path] of cases) {
      await load(`${base}${path}`, 2);
      await load(`${ceilingBase}${path}`, 2);
    }
    let failed = false;
    for (const [label, path] of cases) {
      const ours = [];
      const top = [];
      for (let round = 0; round < rounds; round++) {
        const pair = [
          async () => ours.push(await measure(app, `${base}${path}`)),
          async () => top.push(await measure(ceiling, `${ceilingBase}${path}`)),
        ];
        for (const run of round % 2 === 0 ? pair : pair.reverse()) {
          await run();
        }
      }
      const m = (rs) => ({ rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), cpu: median(rs.map((r) => r.cpuPerReq)), bad: rs.reduce((n, r) => n + r.bad, 0) });
      const api = m(ours);
      const cap = m(top);
      const ratio = api.rps / cap.rps;
      const ok = ratio >= 0.5 && api.p99 <= 25 && api.bad === 0;
      failed ||= !ok;
      const each = (rs) => rs.map((r) => `${r.rps.toFixed(0)}/${r.p99}`).join(' ');
      console.log(
        `${label}\n` +
          `  reactor-api: ${api.rps.toFixed(0)} req/s, p50 ${api.p50} ms, p99 ${api.p99} ms, ${api.cpu.toFixed(2)} CPU ms/req, errors ${api.bad}   (rounds req/s/p99: ${each(ours)})\n` +
          `  ceiling    : ${cap.rps.toFixed(0)} req/s, p50 ${cap.p50} ms, p99 ${cap.p99} ms, ${cap.cpu.toFixed(2)} CPU ms/req   (rounds: ${each(top)})\n` +
          `  ratio ${ratio.toFixed(2)} (target >= 0.50), p99 ${api.p99} ms (target <= 25), CPU per request ${(api.cpu / cap.cpu).toFixed(1)}x the ceiling's  ${ok ? 'OK' : 'MISSED'}`,
      );
    }
    process.exitCode = failed ? 1 : 0;
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

if (option('serve-ceiling') === 'true') {
  await serveCeiling();
} else {
  await bench();
}
