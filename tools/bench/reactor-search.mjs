#!/usr/bin/env node
// Benchmark of POST /search (issue 19): 100,000 rules (plus 10,000 revisions) in one property,
// a few searches at 8 connections, each beside the same question asked of the top-level list route
// with a filter (GET /properties/{id}/rules?filter[...]), the reference. Prints p50/p99 of each.
// Target (issue 19): POST /search p99 <= 50 ms at 8 connections.
//
// Needs: `npx nx run reactor-api:build` (dist/apps/reactor-api/main.js), a PostgreSQL server in
// DATABASE_URL (as tools/bench/reactor-api.mjs: the rows are seeded with SQL, which an embedded
// PGlite inside the app process does not allow), redis-server on PATH or REDIS_URL. Everything goes
// into a throwaway schema that is dropped at the end.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node tools/bench/reactor-search.mjs \
//     [--rules 100000] [--duration 5] [--connections 8] [--keep true: leave the schema for EXPLAIN]
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function option(name, fallback) {
  const argv = process.argv.slice(2);
  const at = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return fallback;
  return argv[at].includes('=') ? argv[at].split('=').slice(1).join('=') : argv[at + 1];
}

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('DATABASE_URL is required (a PostgreSQL server), e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres');
  process.exit(2);
}
const RULES = Number(option('rules', '100000'));
const DURATION = Number(option('duration', '5'));
const CONNECTIONS = Number(option('connections', '8'));
const main = join(root, 'dist/apps/reactor-api/main.js');
if (!existsSync(main)) {
  console.error('Build first: npx nx run reactor-api:build');
  process.exit(2);
}

const freePort = () =>
  new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });

/**
 * Rule heads `Rule 000001` … (every 1000th named `Checkout`), and a revision of every 10th, straight
 * into the table; each row its own created_at, as rows created one request at a time have.
 */
async function seed(schema, property) {
  const client = new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
  await client.connect();
  const started = Date.now();
  await client.query(
    `insert into revisioned (id, type, property_id, origin_id, revision_number, latest_revision_number, name, enabled, dirty, published, review_status, created_at, updated_at)
     select 'RL' || md5(i::text), 'rules', $1, 'RL' || md5(i::text), 0, case when i % 10 = 0 then 1 else 0 end,
            case when i % 1000 = 0 then 'Checkout' else 'Rule ' || lpad(i::text, 6, '0') end,
            true, false, false, 'unsubmitted', now() - (($2 - i) || ' seconds')::interval, now()
     from generate_series(1, $2) as i`,
    [property, RULES],
  );
  await client.query(
    `insert into revisioned (id, type, property_id, origin_id, revision_number, latest_revision_number, name, enabled, dirty, published, review_status, created_at, updated_at)
     select 'RL' || md5('rev' || i::text), 'rules', $1, 'RL' || md5(i::text), 1, 1,
            case when i % 1000 = 0 then 'Checkout' else 'Rule ' || lpad(i::text, 6, '0') end,
            true, false, false, 'unsubmitted', now() + (i || ' milliseconds')::interval, now()
     from generate_series(10, $2, 10) as i`,
    [property, RULES],
  );
  await client.query('vacuum analyze revisioned, properties, companies, api_tokens');
  await client.end();
  return (Date.now() - started) / 1000;
}

async function startApp(schema, dir, token, redisUrl) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const app = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      REACTOR_API_PORT: String(port),
      REACTOR_API_HOST: '127.0.0.1',
      DATABASE_SCHEMA: schema,
      REDIS_URL: redisUrl,
      PUBLIC_BASE_URL: base,
      REACTOR_BOOTSTRAP_TOKEN: token,
      REACTOR_BOOTSTRAP_ORG: 'SEARCHBENCH00@AdobeOrg',
      DATA_DIR: dir,
      BLOB_ROOT: join(dir, 'blobs'),
      SERVER_KEYS_DIR: join(dir, 'keys'),
      QUEUE_PREFIX: `bench-${schema}`,
      CORE_EXTENSION_DIR: join(root, 'apps/reactor-api/test/fixtures/core'),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; ; i++) {
    if (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) break;
    if (i > 300 || app.exitCode !== null) throw new Error('reactor-api did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { app, base };
}

/** The cases: a search, and the list route asked the same (or the nearest) question. */
function casesFor(property) {
  const search = (query, extra = {}) => ({ method: 'POST', path: '/search', body: JSON.stringify({ data: { size: 25, resource_types: ['rules'], ...(query ? { query } : {}), ...extra } }) });
  const list = (qs) => ({ method: 'GET', path: `/properties/${property}/rules?${qs}` });
  return [
    ['name = one rule', search({ 'attributes.name': { value: 'Rule 050001' } }), list('filter[name]=EQ%20Rule%20050001')],
    ['name = 200 rules (heads + revisions)', search({ 'attributes.name': { value: 'checkout' } }), list('filter[name]=EQ%20Checkout&page[size]=25')],
    ['revisions (revision_number > 0)', search({ 'attributes.revision_number': { range: { gt: 0 } } }), list('filter[revision_number]=GT%200&page[size]=25')],
    ['all rules, newest first', search(undefined, { sort: [{ 'attributes.created_at': 'desc' }] }), list('sort=-created_at&page[size]=25')],
  ];
}

async function measure(base, headers, request) {
  const result = await new Promise((res, rej) =>
    autocannon({ url: `${base}${request.path}`, method: request.method, body: request.body, headers, connections: CONNECTIONS, duration: DURATION }, (err, r) => (err ? rej(err) : res(r))),
  );
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result['2xx'] / result.duration, bad: result.non2xx + result.errors + result.timeouts };
}

async function run() {
  const schema = `bench_search_${randomBytes(5).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'reactor-search-bench-'));
  const token = `bench-${randomBytes(16).toString('hex')}`;
  const cleanups = [];
  try {
    let redisUrl = process.env.REDIS_URL;
    if (!redisUrl) {
      const { startPrivateRedis } = await import(join(root, 'tools/test/redis-server.mjs'));
      const redis = await startPrivateRedis();
      redisUrl = redis.url;
      cleanups.push(() => redis.stop());
    }
    cleanups.push(async () => {
      if (option('keep') === 'true') {
        return console.log(`schema ${schema} kept (--keep true)`);
      }
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    });
    const { app, base } = await startApp(schema, dir, token, redisUrl);
    cleanups.push(async () => {
      app.kill('SIGTERM');
      await new Promise((r) => app.once('exit', r));
    });
    const headers = { authorization: `Bearer ${token}`, 'x-api-key': 'bench', accept: 'application/vnd.api+json;revision=1', 'content-type': 'application/vnd.api+json' };
    const call = async (method, path, body) => {
      const res = await fetch(`${base}${path}`, { method, headers, body: body && JSON.stringify(body) });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    const company = (await call('GET', '/companies')).data[0].id;
    const property = (await call('POST', `/companies/${company}/properties`, { data: { type: 'properties', attributes: { name: 'search bench', platform: 'web', domains: ['example.com'] } } })).data.id;
    const seconds = await seed(schema, property);
    console.log(`reactor-search bench: ${RULES} rules + ${Math.floor(RULES / 10)} revisions seeded in ${seconds.toFixed(1)} s; ${CONNECTIONS} connections, ${DURATION} s per run, PostgreSQL ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}`);
    console.log('case                                   | POST /search p50 / p99 (req/s) | list route p50 / p99 (req/s)');
    for (const [label, search, list] of casesFor(property)) {
      const hits = (await call(search.method, search.path, JSON.parse(search.body))).meta.total_hits;
      await measure(base, headers, search);
      const ours = await measure(base, headers, search);
      const reference = await measure(base, headers, list);
      const cell = (m) => `${m.p50} / ${m.p99} ms (${m.rps.toFixed(0)}${m.bad ? `, ${m.bad} bad` : ''})`;
      console.log(`${`${label} [${hits} hits]`.padEnd(38)} | ${cell(ours).padEnd(30)} | ${cell(reference)}`);
    }
  } finally {
    for (const fn of cleanups.reverse()) {
      await fn().catch((e) => console.error(e));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

await run();
