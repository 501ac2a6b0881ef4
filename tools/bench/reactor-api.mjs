#!/usr/bin/env node
// Benchmark of reactor-api against the ceiling of its stack (issue 5):
//   GET /rules/{id} and GET /properties/{id}/rules?page[size]=25 over a property with 1,000 rules,
//   8 connections, side by side with a minimal Fastify + pg handler reading the same rows and
//   writing the same JSON. Targets: >= 0.5 x the ceiling's throughput, p99 <= 25 ms.
//
// Needs: `npx nx run reactor-api:build` (dist/apps/reactor-api/main.js), a PostgreSQL server in
// DATABASE_URL (this script does not start one: initdb refuses to run as root, and a shared
// machine's server is the realistic target), and redis-server on PATH or REDIS_URL.
// Everything goes into a throwaway schema that is dropped at the end.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node tools/bench/reactor-api.mjs [--duration 10]
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const duration = Number(process.argv[process.argv.indexOf('--duration') + 1] || 10) || 10;
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('DATABASE_URL is required (a PostgreSQL server), e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres');
  process.exit(2);
}
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

const schema = `bench_${randomBytes(6).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'reactor-bench-'));
const token = `bench-${randomBytes(16).toString('hex')}`;
let redis;
let app;
const cleanups = [];

async function cleanup() {
  for (const fn of cleanups.reverse()) {
    await fn().catch(() => undefined);
  }
  rmSync(dir, { recursive: true, force: true });
}

// Runs last (cleanups run in reverse): the app and pools are closed before the schema goes.
cleanups.push(async () => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`drop schema if exists "${schema}" cascade`);
  await client.end();
});

try {
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    const { startPrivateRedis } = await import(join(root, 'tools/test/redis-server.mjs'));
    redis = await startPrivateRedis();
    redisUrl = redis.url;
    cleanups.push(() => redis.stop());
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  app = spawn(process.execPath, [main], {
    env: {
      ...process.env,
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
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  cleanups.push(async () => {
    app.kill('SIGTERM');
    await new Promise((r) => app.once('exit', r));
  });
  const headers = { authorization: `Bearer ${token}`, 'x-api-key': 'bench', accept: 'application/vnd.api+json;revision=1', 'content-type': 'application/vnd.api+json' };
  for (let i = 0; ; i++) {
    const ok = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 300) throw new Error('reactor-api did not become ready');
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

  // The ceiling: the smallest handler that reads the same rows and writes the same JSON.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, options: `-c search_path=${schema}` });
  cleanups.push(() => pool.end());
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
    const { rows } = await pool.query('select * from revisioned where id = $1 and type = $2', [req.params.id, 'rules']);
    return reply.type('application/vnd.api+json').send({ data: present(rows[0]) });
  });
  ceiling.get('/properties/:id/rules', async (req, reply) => {
    const { rows } = await pool.query(
      'select *, count(*) over () as total from revisioned where property_id = $1 and type = $2 and revision_number = 0 and deleted_at is null order by created_at, id limit 25 offset 0',
      [req.params.id, 'rules'],
    );
    const total = Number(rows[0]?.total ?? 0);
    const pages = Math.ceil(total / 25);
    return reply.type('application/vnd.api+json').send({ data: rows.map(present), meta: { pagination: { current_page: 1, next_page: pages > 1 ? 2 : null, prev_page: null, total_pages: pages, total_count: total } } });
  });
  const ceilingPort = await freePort();
  await ceiling.listen({ port: ceilingPort, host: '127.0.0.1' });
  cleanups.push(() => ceiling.close());

  const run = (url) =>
    new Promise((res, rej) => autocannon({ url, connections: 8, duration, headers }, (err, result) => (err ? rej(err) : res(result))));
  const cases = [
    ['GET /rules/{id}', `/rules/${ruleId}`],
    ['GET /properties/{id}/rules?page[size]=25', `/properties/${property}/rules?page[size]=25`],
  ];
  console.log(`reactor-api bench: ${ruleIds.length} rules, 8 connections, ${duration}s per run, PostgreSQL ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}`);
  let failed = false;
  for (const [label, path] of cases) {
    const api = await run(`${base}${path}`);
    const top = await run(`http://127.0.0.1:${ceilingPort}${path}`);
    const ratio = api.requests.average / top.requests.average;
    const ok = ratio >= 0.5 && api.latency.p99 <= 25 && api.non2xx === 0 && api.errors === 0;
    failed ||= !ok;
    console.log(
      `${label}\n  reactor-api: ${api.requests.average.toFixed(0)} req/s, p50 ${api.latency.p50} ms, p99 ${api.latency.p99} ms, non-2xx ${api.non2xx}\n` +
        `  ceiling    : ${top.requests.average.toFixed(0)} req/s, p50 ${top.latency.p50} ms, p99 ${top.latency.p99} ms\n` +
        `  ratio ${ratio.toFixed(2)} (target >= 0.50), p99 ${api.latency.p99} ms (target <= 25) ${ok ? 'OK' : 'MISSED'}`,
    );
  }
  process.exitCode = failed ? 1 : 0;
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanup();
}
