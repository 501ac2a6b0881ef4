#!/usr/bin/env node
// Rule-set benchmark (issue 16): what 50 rules (attribute::RuleSetFile) cost on result-cache hits,
// against the same catalog without rules, in one run.
//
//   node tools/bench/image-rulesets.mjs [--duration=5] [--rounds=3] [--connections=8] [--main=dist/apps/image-server/main.js]
//
// One server, two catalogs over the same 12 mate-backgrounds photos, identical but for
// `RuleSetFile` on one: `plain` (no rules) and `rules` (50 rules). The rules are what a site has:
// 40 SEO/vanity rewrites of other paths (anchored, `OnMatch="continue"`, so every one is tried on
// every request), 8 per-path Expiration rules, one OnMatch="error" guard, and one rule that
// matches the benchmark URLs (Expiration=10, the attribute's value, so replies are identical).
// Requests: `/is/image/<catalog>/<photo>?wid=600`, result cache on and warmed (every request is a
// cache hit), 8 connections, wrk. Rounds alternate plain/rules (the order flips every round); the
// cost is the median over rounds of each round's rules/plain ratio (the pair ran back to back, under
// the same load from the rest of the machine), against the issue's ≤ 3 %.
//
// The server remembers rule outcomes per request string (4,096 per rule set), so repeated URLs
// skip the engine; the in-process part below also measures what the 50 rules cost on a URL never
// seen before (the engine itself), and on a hostile URL.
// Without --main the server runs from the TypeScript sources (the loader the tests use).
//
// Measured (issue 16, 2 shared cores, --duration=3 --rounds=7): plain 25,639 req/s, rules 26,332,
// cost 0.25 % (≤ 3 %); resolveRequest 0.63 → 0.88 µs in process. Under load from other work the
// per-round ratios of one run spread by ±10 %, so rerun when the load average is high.
import autocannon from 'autocannon';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { cpuMsOf, parseArgs, ROOT, startImageServer } from './image-bench-server.mjs';
import { matePhotos } from './mate-photos.mjs';
import { ensureWrk, wrk } from './wrk.mjs';

const WORK = join(ROOT, 'tmp', 'bench-image-rulesets');
const args = parseArgs();
if (args.help) {
  console.log('usage: node tools/bench/image-rulesets.mjs [--duration=5] [--rounds=3] [--connections=8] [--main=dist/apps/image-server/main.js]\n' +
    'About 2 × rounds × duration seconds plus start-up and the in-process part (about 25 s): 55 s with the defaults.');
  process.exit(0);
}
const DURATION = Number(args.duration ?? 5);
const ROUNDS = Number(args.rounds ?? 3);
const CONNECTIONS = Number(args.connections ?? 8);
const MAIN = args.main === undefined ? undefined : resolve(String(args.main));
const log = (...xs) => process.stderr.write(`${xs.join(' ')}\n`);

/** The 50 rules of the `rules` catalog. */
export function fiftyRules(rootId) {
  const rules = [];
  for (let i = 0; i < 40; i++) {
    rules.push(`  <rule Name="seo-${i}" OnMatch="continue"><expression>^${rootId}/collection-${i}/[a-z0-9-]+/(\\w+)\\.jpg(?:\\?(.*))?$</expression><substitution>${rootId}/$1?$2</substitution></rule>`);
  }
  for (let i = 0; i < 8; i++) {
    rules.push(`  <rule Name="ttl-${i}" OnMatch="continue"><expression>^${rootId}/(?:campaign|promo)-${i}/</expression><Expiration>${i + 1}</Expiration></rule>`);
  }
  rules.push(`  <rule Name="guard" OnMatch="error"><expression>^${rootId}/(?:private|internal)/</expression></rule>`);
  rules.push(`  <rule Name="photos" OnMatch="continue"><expression>^${rootId}/[^/?]+\\.jpg\\?(?:.*&amp;)?wid=\\d+</expression><Expiration>10</Expiration></rule>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ruleset>\n${rules.join('\n')}\n</ruleset>\n`;
}

async function startServer(photos) {
  const catalog = join(WORK, 'catalog');
  rmSync(catalog, { recursive: true, force: true });
  mkdirSync(catalog, { recursive: true });
  writeFileSync(join(catalog, 'default.ini'), ['RootId=', 'RootPath=', 'DefaultPix=0,0', 'MaxPix=0,0', 'JpegQuality=80,0', 'ResMode=4', 'BkgColor=FFFFFF', 'Expiration=10', ''].join('\n'));
  writeFileSync(join(catalog, 'plain.ini'), ['RootId=plain', ''].join('\n'));
  writeFileSync(join(catalog, 'rules.ini'), ['RootId=rules', 'RuleSetFile=rules.xml', ''].join('\n'));
  writeFileSync(join(catalog, 'rules.xml'), fiftyRules('rules'));
  return startImageServer(
    {
      IS_CATALOG_ROOT: catalog,
      IS_ROOT_PATH: photos.dir,
      IS_LEVEL_CACHE: '0',
      IS_WATCH_CATALOGS: '0',
      DATA_DIR: join(WORK, 'data'),
    },
    MAIN,
  );
}

const pathsOf = (rootId, photos) => photos.files.map((f) => `/is/image/${rootId}/${f}?wid=600`);

async function run(server, bin, rootId, photos) {
  const paths = pathsOf(rootId, photos);
  const before = cpuMsOf(server.child.pid);
  const result = bin
    ? await wrk(bin, { base: server.base, paths, connections: CONNECTIONS, duration: DURATION })
    : await new Promise((res, rej) => {
        autocannon({ url: server.base, connections: CONNECTIONS, duration: DURATION, requests: paths.map((path) => ({ method: 'GET', path })) }, (e, r) => (e ? rej(e) : res(r)));
      });
  const ok = Math.max(1, result['2xx']);
  return { rps: result['2xx'] / result.duration, p99: result.latency.p99, cpuPerReq: (cpuMsOf(server.child.pid) - before) / ok, errors: result.non2xx + result.errors + result.timeouts };
}

/** In-process cost of the 50 rules per request (µs): remembered outcome, a URL never seen, a hostile URL. */
function engineMicros(photos) {
  const require = createRequire(import.meta.url);
  require('../test/register-ts.cjs');
  const { parseRuleSet } = require(join(ROOT, 'libs/catalogs/src/rules/rule-set.ts'));
  const text = fiftyRules('rules');
  const time = (loops, fn) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < loops; i++) {
      fn(i);
    }
    return Number(process.hrtime.bigint() - t0) / 1000 / loops;
  };
  const set = parseRuleSet(text, 'rules.xml');
  const urls = photos.files.map((f) => `rules/${f}?wid=600`);
  time(2000, (i) => set.apply(urls[i % urls.length], 'is'));
  const remembered = time(200_000, (i) => set.apply(urls[i % urls.length], 'is'));
  // A fresh rule set per batch of unique URLs, so nothing is remembered.
  let fresh = parseRuleSet(text, 'rules.xml');
  const unseen = time(20_000, (i) => {
    if (i % 4000 === 0) {
      fresh = parseRuleSet(text, 'rules.xml');
    }
    fresh.apply(`rules/${photos.files[i % 12]}?wid=${600 + i}&qlt=${i % 90}`, 'is');
  });
  const hostileUrl = `rules/${'a1'.repeat(1500)}?wid=600`;
  const hostile = time(50, () => parseRuleSet(text, 'rules.xml').apply(hostileUrl, 'is'));
  return { remembered, unseen, hostile, hostileLength: hostileUrl.length };
}

/**
 * In-process `resolveRequest` (§1.6 steps 1-7, what every request does before the result cache is
 * consulted) on the bench's own catalog folder, plain vs rules, alternating batches: the added
 * cost per request, free of the load the rest of the machine puts on the HTTP figures.
 */
async function resolveMicros(photos) {
  const require = createRequire(import.meta.url);
  require('../test/register-ts.cjs');
  const { CatalogStore, resolveRequest } = require(join(ROOT, 'libs/catalogs/src/index.ts'));
  const store = await CatalogStore.open({ catalogRoot: join(WORK, 'catalog'), rootPath: photos.dir, watch: false, logger: { info() {}, warn() {}, error() {} } });
  const inputs = (rootId) => photos.files.map((f) => ({ pathSegments: [rootId, f], rawQuery: 'wid=600' }));
  const batch = (list, loops) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < loops; i++) {
      resolveRequest(list[i % list.length], store);
    }
    return Number(process.hrtime.bigint() - t0) / 1000 / loops;
  };
  const plain = inputs('plain');
  const rules = inputs('rules');
  batch(plain, 20_000);
  batch(rules, 20_000);
  const times = { plain: [], rules: [] };
  for (let round = 0; round < 9; round++) {
    times.plain.push(batch(plain, 50_000));
    times.rules.push(batch(rules, 50_000));
  }
  await store.close();
  return { plain: median(times.plain), rules: median(times.rules) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '—');

async function main() {
  const loadStart = loadavg()[0];
  const photos = matePhotos(WORK, log);
  const bin = ensureWrk(log);
  if (!bin) {
    log('wrk not available: autocannon in this process (it takes CPU from the server on 2 cores)');
  }
  const server = await startServer(photos);
  log(`server at ${server.base} (${MAIN ?? 'from sources'}); warming the result cache …`);
  for (const rootId of ['plain', 'rules']) {
    for (let pass = 0; pass < 3; pass++) {
      for (const p of pathsOf(rootId, photos)) {
        const r = await fetch(`${server.base}${p}`);
        if (!r.ok) {
          throw new Error(`${p}: HTTP ${r.status}`);
        }
        await r.arrayBuffer();
      }
    }
  }
  const props = await (await fetch(`${server.base}/is/image/rules?req=catalogprops`)).text();
  const rulesLoaded = /catalog\.ruleSetRules=(\d+)/.exec(props)?.[1];
  if (rulesLoaded !== '50') {
    throw new Error(`the rules catalog has ${rulesLoaded} rules, expected 50:\n${props}`);
  }
  const results = { plain: [], rules: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ['plain', 'rules'] : ['rules', 'plain'];
    for (const rootId of order) {
      const r = await run(server, bin, rootId, photos);
      results[rootId].push(r);
      log(`round ${round + 1} ${rootId.padEnd(6)} ${f(r.rps, 0)} req/s  p99 ${f(r.p99, 2)} ms  cpu ${f(r.cpuPerReq, 3)} ms/req  errors ${r.errors}`);
    }
  }
  server.child.kill('SIGTERM');
  const summary = {};
  for (const k of ['plain', 'rules']) {
    summary[k] = { rps: median(results[k].map((r) => r.rps)), p99: median(results[k].map((r) => r.p99)), cpu: median(results[k].map((r) => r.cpuPerReq)) };
  }
  // Each round's pair ran back to back, so its ratio sees the same load from the rest of the
  // (shared) machine; the median of the per-round ratios is the estimate that survives load drift.
  const cost = (1 - median(results.rules.map((r, i) => r.rps / results.plain[i].rps))) * 100;
  const cpuCost = (median(results.rules.map((r, i) => r.cpuPerReq / results.plain[i].cpuPerReq)) - 1) * 100;
  const micro = engineMicros(photos);
  const resolved = await resolveMicros(photos);
  const serverMicros = summary.plain.cpu * 1000;
  console.log(`\nRule sets on result-cache hits: 12 photos, wid=600, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${DURATION} s (medians), ${bin ? 'wrk' : 'autocannon'}`);
  console.log('catalog   req/s    p99 ms   server CPU ms/req');
  for (const k of ['plain', 'rules']) {
    console.log(`${k.padEnd(8)} ${f(summary[k].rps, 0).padStart(6)}   ${f(summary[k].p99, 2).padStart(6)}   ${f(summary[k].cpu, 3)}`);
  }
  console.log(`50 rules cost ${f(cost, 2)} % of throughput (${f(cpuCost, 2)} % server CPU per request), median of the per-round ratios; issue target ≤ 3 %: ${cost <= 3 ? 'met' : 'NOT met'}`);
  console.log(`load average (1 min) at start ${f(loadStart, 2)}, at end ${f(loadavg()[0], 2)}: on a shared 2-core machine, single rounds swing by ±20 %`);
  console.log(`in process, resolveRequest: ${f(resolved.plain, 2)} µs plain, ${f(resolved.rules, 2)} µs with 50 rules: +${f(resolved.rules - resolved.plain, 2)} µs per request, ${f(((resolved.rules - resolved.plain) / serverMicros) * 100, 2)} % of the ${f(serverMicros, 0)} µs of server CPU a cache hit takes here`);
  console.log(`in process, 50 rules per request: ${f(micro.remembered, 2)} µs remembered outcome, ${f(micro.unseen, 1)} µs on a URL never seen, ${f(micro.hostile / 1000, 1)} ms on a ${micro.hostileLength}-character hostile URL (parse included)`);
}

main().catch((err) => {
  log(err.stack ?? String(err));
  process.exit(1);
});
