#!/usr/bin/env node
// Format negotiation benchmark (issue 16): negotiated replies (bfc on, current Chrome's Accept)
// against explicit fmt=avif, fmt=webp and fmt=jpeg, on the 12 mate-backgrounds photos at wid=600.
//
//   node tools/bench/image-negotiation.mjs [--duration=8] [--connections=8] [--cost-rounds=3] [--main=dist/apps/image-server/main.js]
//
// Every request is a cache miss: the result cache is off (IS_RESULT_CACHE_BYTES=0) and every URL
// carries its own `id=` (so single flight never shares a render); the level cache is off too, so
// each request decodes its JPEG (with shrink-on-load) and encodes the reply: the work an origin
// behind a CDN does. The catalog: Bfc=1, JpegQuality=80, ResMode=4 (lanczos3), no MaxPix/DefaultPix.
// Without --main the server runs from the TypeScript sources (apps/image-server/test/support/
// server-process.js, the loader the tests use), so no build is needed; --main runs a bundle.
//
// Prints, per variant (one run each, in the order negotiated, webp, avif, jpeg): requests/s, p99,
// server CPU ms per request, and bytes per reply (each photo fetched once per variant: the encoders
// are deterministic); the bytes a browser saves with bfc on against JPEG; and the cost of
// negotiation: negotiated vs explicit fmt=webp (the format it chose for Chrome) in --cost-rounds
// alternating pairs of runs (median of each), by throughput and by server CPU per request, against
// the issue's ≤ 2 %, plus the in-process time of the negotiation code itself per request.
import autocannon from 'autocannon';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { cpuMsOf, parseArgs, ROOT, startImageServer } from './image-bench-server.mjs';
import { matePhotos } from './mate-photos.mjs';
import { ensureWrk, wrk } from './wrk.mjs';

const WORK = join(ROOT, 'tmp', 'bench-image-negotiation');
const args = parseArgs();
if (args.help) {
  console.log('usage: node tools/bench/image-negotiation.mjs [--duration=8] [--connections=8] [--cost-rounds=3] [--main=dist/apps/image-server/main.js]\n' +
    'About (4 + 2 × cost-rounds) × duration seconds plus start-up: 1.5 minutes with the defaults.');
  process.exit(0);
}
const DURATION = Number(args.duration ?? 8);
const CONNECTIONS = Number(args.connections ?? 8);
const COST_ROUNDS = Number(args['cost-rounds'] ?? 3);
const MAIN = args.main === undefined ? undefined : resolve(String(args.main));
/** Current Chrome's `Accept` for images (the same string the tests use: apps/image-server/test/support/browser-accept.ts). */
const CHROME_ACCEPT = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';
const VARIANTS = [
  { name: 'negotiated', query: '' },
  { name: 'fmt=webp', query: '&fmt=webp' },
  { name: 'fmt=avif', query: '&fmt=avif' },
  { name: 'fmt=jpeg', query: '&fmt=jpeg' },
];

const log = (...xs) => process.stderr.write(`${xs.join(' ')}\n`);

async function startServer(photos) {
  const catalog = join(WORK, 'catalog');
  mkdirSync(catalog, { recursive: true });
  writeFileSync(join(catalog, 'default.ini'), ['RootId=', 'RootPath=', 'DefaultPix=0,0', 'MaxPix=0,0', 'JpegQuality=80,0', 'ResMode=4', 'BkgColor=FFFFFF', 'Expiration=10', 'Bfc=1', ''].join('\n'));
  return startImageServer(
    {
      IS_CATALOG_ROOT: catalog,
      IS_ROOT_PATH: photos.dir,
      IS_RESULT_CACHE_BYTES: '0',
      IS_LEVEL_CACHE: '0',
      IS_WATCH_CATALOGS: '0',
      DATA_DIR: join(WORK, 'data'),
    },
    MAIN,
  );
}

let serial = 0;
/** One load run over the 12 photos of a variant, each request a unique URL; with the server's CPU per request. */
async function run(server, bin, variant) {
  const paths = PHOTOS.files.map((f) => `/is/image/${f}?wid=600${variant.query}`);
  const unique = (p, n) => `${p}&id=${n}`;
  const headers = { Accept: CHROME_ACCEPT };
  const before = cpuMsOf(server.child.pid);
  const result = bin
    ? await wrk(bin, { base: server.base, paths, connections: CONNECTIONS, duration: DURATION, unique, headers })
    : await new Promise((res, rej) => {
        const requests = paths.map((path) => ({ method: 'GET', path, headers, setupRequest: (req) => ({ ...req, path: unique(path, serial++) }) }));
        autocannon({ url: server.base, connections: CONNECTIONS, duration: DURATION, requests }, (e, r) => (e ? rej(e) : res(r)));
      });
  const ok = Math.max(1, result['2xx']);
  return {
    rps: result['2xx'] / result.duration,
    p99: result.latency.p99,
    cpuPerReq: (cpuMsOf(server.child.pid) - before) / ok,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

/** Bytes of each photo's reply per variant (one request each; encoders are deterministic), and the type served. */
async function replyBytes(server, variant) {
  let bytes = 0;
  const types = new Set();
  for (const f of PHOTOS.files) {
    const r = await fetch(`${server.base}/is/image/${f}?wid=600${variant.query}&id=bytes`, { headers: { Accept: CHROME_ACCEPT } });
    if (!r.ok) {
      throw new Error(`${f} ${variant.name}: HTTP ${r.status}`);
    }
    bytes += (await r.arrayBuffer()).byteLength;
    types.add(r.headers.get('content-type'));
  }
  return { total: bytes, perReply: bytes / PHOTOS.files.length, types: [...types].join(',') };
}

/** Time the negotiation code takes per request, in process (µs): negotiate + key + headers. */
function negotiationMicros() {
  const require = createRequire(import.meta.url);
  require('../test/register-ts.cjs');
  const n = require(join(ROOT, 'apps/image-server/src/requests/format-negotiation.ts'));
  const spec = { wid: 600 };
  const client = { accept: CHROME_ACCEPT, dprHint: undefined };
  const loops = 200_000;
  let sink = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < loops; i++) {
    const out = n.negotiate(spec, true, client);
    sink += n.negotiationKey(out).length + Object.keys(n.negotiationHeaders(out)).length;
  }
  const micros = Number(process.hrtime.bigint() - t0) / 1000 / loops;
  return sink > 0 ? micros : NaN;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '—');

const PHOTOS = matePhotos(WORK, log);

async function main() {
  const bin = ensureWrk(log);
  if (!bin) {
    log('wrk not available: autocannon in this process (it takes CPU from the server on 2 cores)');
  }
  const server = await startServer(PHOTOS);
  log(`server at ${server.base} (${MAIN ?? 'from sources'}); warming up …`);
  for (const v of VARIANTS) {
    await replyBytes(server, v);
  }
  const bytes = {};
  for (const v of VARIANTS) {
    bytes[v.name] = await replyBytes(server, v);
  }
  const runs = {};
  for (const v of VARIANTS) {
    log(`run ${v.name} (${DURATION}s, ${CONNECTIONS} connections) …`);
    runs[v.name] = await run(server, bin, v);
  }
  const cost = { negotiated: [], webp: [] };
  for (let i = 0; i < COST_ROUNDS; i++) {
    const pair = i % 2 === 0 ? [VARIANTS[0], VARIANTS[1]] : [VARIANTS[1], VARIANTS[0]];
    for (const v of pair) {
      log(`cost round ${i + 1}/${COST_ROUNDS}: ${v.name} …`);
      (v.name === 'negotiated' ? cost.negotiated : cost.webp).push(await run(server, bin, v));
    }
  }
  const micros = negotiationMicros();
  server.child.kill('SIGTERM');

  console.log(`\nFormat negotiation — 12 mate-backgrounds photos, wid=600, q80, cache misses, ${CONNECTIONS} connections, ${DURATION}s per run, Accept of current Chrome, ${bin ? 'wrk' : 'autocannon'}`);
  console.log('variant       type         req/s    p99 ms   CPU ms/req   bytes/reply   errors');
  for (const v of VARIANTS) {
    const r = runs[v.name];
    const b = bytes[v.name];
    console.log(`${v.name.padEnd(13)} ${b.types.padEnd(12)} ${f(r.rps).padStart(6)} ${f(r.p99, 0).padStart(9)} ${f(r.cpuPerReq).padStart(12)} ${f(b.perReply, 0).padStart(13)} ${String(r.errors).padStart(8)}`);
  }
  const saved = bytes['fmt=jpeg'].total - bytes.negotiated.total;
  console.log(`\nbytes for the 12 photos: negotiated ${bytes.negotiated.total}, JPEG ${bytes['fmt=jpeg'].total}: a browser saves ${saved} bytes (${f((100 * saved) / bytes['fmt=jpeg'].total)} %) with bfc on`);
  const rpsN = median(cost.negotiated.map((r) => r.rps));
  const rpsW = median(cost.webp.map((r) => r.rps));
  const cpuN = median(cost.negotiated.map((r) => r.cpuPerReq));
  const cpuW = median(cost.webp.map((r) => r.cpuPerReq));
  const loss = 100 * (1 - rpsN / rpsW);
  const cpuCost = 100 * (cpuN / cpuW - 1);
  console.log(`\nnegotiation cost vs explicit fmt=webp (median of ${COST_ROUNDS} alternating runs each): ` +
    `${f(rpsN)} vs ${f(rpsW)} req/s (${f(loss)} % throughput), CPU ${f(cpuN, 2)} vs ${f(cpuW, 2)} ms/req (${f(cpuCost)} %)`);
  console.log(`  rounds: negotiated ${cost.negotiated.map((r) => f(r.rps)).join(', ')} | webp ${cost.webp.map((r) => f(r.rps)).join(', ')} req/s`);
  console.log(`  the negotiation code itself: ${f(micros, 2)} µs per request, ${f((100 * micros) / 1000 / cpuW, 4)} % of a request's CPU`);
  console.log(`  ≤ 2 % of throughput: ${loss <= 2 ? 'met' : 'NOT met'} (throughput), ${cpuCost <= 2 ? 'met' : 'NOT met'} (CPU per request)`);
  process.exit(0);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
