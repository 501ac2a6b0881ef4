#!/usr/bin/env node
// Multi-layer compositing benchmark (issue 15): a 3-layer composite URL (4 with --text) against the
// same composite done with sharp's composite() directly, side by side in one run.
//
//   npm run build && node tools/bench/image-composite.mjs [--duration=5] [--connections=2,8] [--rounds=1] [--main=dist/apps/image-server/main.js] [--plain]
//
// The composite: layer 0 one of the 12 mate-backgrounds photos (cycled), layer 1 a 240x240 PNG badge
// with alpha (a blue disc on transparency) at pos=300,-150 from the photo's centre, layer 2 a
// 600x200 red colour layer at 50 % opacity (opac=50) at pos=-300,150; then wid=600, JPEG q80.
// --text adds layer 3, one line of white text ("SALE -30%", 24 pt sans, at pos=0,-250): ours draws it
// from `text=` RTF per request, the ceiling and the floor draw the same line with sharp's Pango text
// input per request (the composite: photo, badge, colour layer, one line of text).
// Every request is a cache miss: the result cache and the level cache are off, every URL carries its
// own id= (so single flight never shares a render).
//   ceiling  in this process, no HTTP: sharp(photo).composite([badge, colour]) to raw pixels, then
//            sharp(raw).resize(600).jpeg({quality: 80}) — the same two passes a composite takes (sharp
//            applies composite() after resize in one pipeline, so a composite at full size then a
//            resize needs two) — N loops in parallel
//   floor    the ceiling's sharp calls behind a bare node:http server with an MD5 ETag (no framework,
//            no catalog, no limits): the best any HTTP server can do on this machine
// The ceiling and the floor run with the server's default libvips settings (sharp.concurrency(1),
// sharp.cache(false), as tools/bench/image-server.mjs does): with libvips's operation cache on, a
// photo decoded for one request is reused by the next one asking for it, which a server with a
// result cache of its own does not do.
//   ours     dist/apps/image-server/main.js: GET /is/image/<photo>?layer=1&src=badge&pos=…&layer=2&color=…
//            &size=600,200&opac=50&pos=…&wid=600&qlt=80&id=<n>
//   --sharp-concurrency=N  runs ours with IS_SHARP_CONCURRENCY=N (default: the server's default, 1)
//   --plain  also the single-image request (the photo alone at wid=600) on ours
//   --before=path/main.js  also that request on another build (e.g. the commit before compositing,
//            built in a git worktree), in the same rounds: the single-image path before and after
// Prints req/s, p99 and server CPU ms per request for each, and ours ÷ floor (target ≥ 0.95, p99 no worse).
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { cpuMsOf, parseArgs, ROOT, startImageServer } from './image-bench-server.mjs';
import { matePhotos } from './mate-photos.mjs';
import { ensureWrk, wrk } from './wrk.mjs';

const WORK = join(ROOT, 'tmp', 'bench-image-composite');
const args = parseArgs();
if (args.help) {
  console.log('usage: npm run build && node tools/bench/image-composite.mjs [--duration=5] [--connections=2,8] [--rounds=1] [--main=dist/apps/image-server/main.js] [--plain]');
  process.exit(0);
}
const DURATION = Number(args.duration ?? 5);
const CONNECTIONS = String(args.connections ?? '2,8').split(',').map(Number);
const ROUNDS = Number(args.rounds ?? 1);
const MAIN = resolve(String(args.main ?? join(ROOT, 'dist', 'apps', 'image-server', 'main.js')));
const WID = 600;
const QUALITY = 80;
/** Layer 1: the badge, its top-left placed so that its centre is at pos from the photo's centre. */
const BADGE = { size: 240, pos: { x: 300, y: -150 } };
/** Layer 2: a colour box at half opacity. */
const BOX = { width: 600, height: 200, pos: { x: -300, y: 150 }, color: { r: 255, g: 0, b: 0 }, opac: 50 };
/** Layer 3 (--text): one line of white text centred at pos from the photo's centre. */
const TEXT = args.text === undefined ? undefined : { line: 'SALE -30%', points: 24, pos: { x: 0, y: -250 } };
const TEXT_RTF = TEXT && `{\\rtf1{\\colortbl;\\red255\\green255\\blue255;}\\cf1\\fs${TEXT.points * 2} ${TEXT.line}}`;

/** The text line as an RGBA PNG drawn by Pango through sharp (what ours does for a text layer). */
async function textLayer() {
  const markup = `<span foreground="#ffffff" font_family="sans" size="${TEXT.points * 1024}">${TEXT.line}</span>`;
  const { data, info } = await sharp({ text: { text: markup, rgba: true, dpi: 72 } }).png().toBuffer({ resolveWithObject: true });
  return { input: data, width: info.width, height: info.height };
}

const log = (...xs) => process.stderr.write(`${xs.join(' ')}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '—');

/** The badge PNG: a blue disc on a transparent square. */
async function writeBadge(dir) {
  const s = BADGE.size;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${s}" height="${s}"><circle cx="${s / 2}" cy="${s / 2}" r="${s / 2 - 4}" fill="#1040e0"/></svg>`;
  await sharp(Buffer.from(svg)).png().toFile(join(dir, 'badge.png'));
}

/** Photo sizes (header only), for the placement the server computes: origin on the photo's centre plus pos. */
async function photoSizes(photos) {
  const sizes = new Map();
  for (const file of photos.files) {
    const m = await sharp(join(photos.dir, file)).metadata();
    sizes.set(file, { width: m.width, height: m.height });
  }
  return sizes;
}

/** The composite with sharp directly: the ceiling's and the floor's work for one request. */
async function sharpComposite(photoPath, size, badge, box) {
  const left = (w, pos) => Math.round(size.width / 2 + pos - w / 2);
  const top = (h, pos) => Math.round(size.height / 2 + pos - h / 2);
  const layers = [
    { input: badge, left: left(BADGE.size, BADGE.pos.x), top: top(BADGE.size, BADGE.pos.y) },
    { input: box, raw: { width: BOX.width, height: BOX.height, channels: 4 }, left: left(BOX.width, BOX.pos.x), top: top(BOX.height, BOX.pos.y) },
  ];
  if (TEXT !== undefined) {
    const text = await textLayer();
    layers.push({ input: text.input, left: left(text.width, TEXT.pos.x), top: top(text.height, TEXT.pos.y) });
  }
  const { data, info } = await sharp(photoPath)
    .composite(layers)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).resize(WID).jpeg({ quality: QUALITY }).toBuffer();
}

/** The colour box as raw RGBA at its opacity. */
function boxPixels() {
  const a = Math.round((255 * BOX.opac) / 100);
  return Buffer.alloc(BOX.width * BOX.height * 4).fill(Buffer.from([BOX.color.r, BOX.color.g, BOX.color.b, a]));
}

async function ceiling(photos, sizes, badge, box, connections) {
  let done = 0;
  let next = 0;
  const latencies = [];
  const t0 = process.hrtime.bigint();
  const deadline = Date.now() + DURATION * 1000;
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < deadline) {
        const file = photos.files[next++ % photos.files.length];
        const s = process.hrtime.bigint();
        await sharpComposite(join(photos.dir, file), sizes.get(file), badge, box);
        latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
        done++;
      }
    }),
  );
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { rps: done / secs, p99: latencies.sort((a, b) => a - b)[Math.floor(latencies.length * 0.99)] ?? NaN, cpuPerReq: (cpu.user + cpu.system) / 1000 / done, errors: 0 };
}

function startFloor(photos, sizes, badge, box) {
  const server = createServer((req, res) => {
    const file = decodeURIComponent(new URL(req.url, 'http://x').pathname.slice(1));
    const size = sizes.get(file);
    if (size === undefined) {
      res.writeHead(404).end();
      return;
    }
    sharpComposite(join(photos.dir, file), size, badge, box).then(
      (body) => res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': body.length, etag: `"${createHash('md5').update(body).digest('hex')}"` }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  return new Promise((res) => server.listen(0, '127.0.0.1', () => res({ server, base: `http://127.0.0.1:${server.address().port}` })));
}

const compositeQuery = () =>
  `layer=1&src=badge&pos=${BADGE.pos.x},${BADGE.pos.y}&layer=2&color=ff0000&size=${BOX.width},${BOX.height}&opac=${BOX.opac}&pos=${BOX.pos.x},${BOX.pos.y}` +
  (TEXT === undefined ? '' : `&layer=3&text=${encodeURIComponent(TEXT_RTF)}&pos=${TEXT.pos.x},${TEXT.pos.y}`) +
  `&wid=${WID}&qlt=${QUALITY}`;

async function load(bin, base, paths, connections, pid) {
  const before = pid === undefined ? process.cpuUsage() : cpuMsOf(pid);
  const r = await wrk(bin, { base, paths, connections, duration: DURATION, unique: (p, n) => `${p}${p.includes('?') ? '&' : '?'}id=${n}` });
  const ok = Math.max(1, r['2xx']);
  const cpu = pid === undefined ? (() => { const c = process.cpuUsage(before); return (c.user + c.system) / 1000; })() : cpuMsOf(pid) - before;
  return { rps: r['2xx'] / r.duration, p99: r.latency.p99, cpuPerReq: cpu / ok, errors: r.non2xx + r.errors };
}

async function main() {
  const bin = ensureWrk(log);
  if (!bin) {
    throw new Error('wrk is needed (apt-get install wrk)');
  }
  sharp.concurrency(1);
  sharp.cache(false);
  const photos = matePhotos(WORK, log);
  const sizes = await photoSizes(photos);
  // One root for the photos (copied: a symlink would lead outside the root) and the badge.
  const root = join(WORK, 'root');
  const catalog = join(WORK, 'catalog');
  mkdirSync(join(root, 'photos'), { recursive: true });
  mkdirSync(catalog, { recursive: true });
  for (const file of photos.files) {
    if (!existsSync(join(root, 'photos', file))) {
      copyFileSync(join(photos.dir, file), join(root, 'photos', file));
    }
  }
  await writeBadge(root);
  writeFileSync(join(catalog, 'default.ini'), ['RootId=', 'RootPath=', 'DefaultPix=0,0', 'MaxPix=0,0', `JpegQuality=${QUALITY},0`, 'ResMode=4', 'BkgColor=FFFFFF', 'CatalogFile=default.txt', ''].join('\n'));
  writeFileSync(join(catalog, 'default.txt'), 'Id\tPath\nbadge\tbadge.png\n');
  const badge = await sharp(join(root, 'badge.png')).toBuffer();
  const box = boxPixels();
  const ours = await startImageServer(
    {
      IS_CATALOG_ROOT: catalog,
      IS_ROOT_PATH: root,
      IS_RESULT_CACHE_BYTES: '0',
      IS_LEVEL_CACHE: '0',
      IS_WATCH_CATALOGS: '0',
      DATA_DIR: join(WORK, 'data'),
      ...(args['sharp-concurrency'] === undefined ? {} : { IS_SHARP_CONCURRENCY: String(args['sharp-concurrency']) }),
    },
    MAIN,
  );
  const before = args.before === undefined ? undefined : await startImageServer(
    { IS_CATALOG_ROOT: catalog, IS_ROOT_PATH: root, IS_RESULT_CACHE_BYTES: '0', IS_LEVEL_CACHE: '0', IS_WATCH_CATALOGS: '0', DATA_DIR: join(WORK, 'data-before') },
    resolve(String(args.before)),
  );
  const floor = await startFloor(photos, sizes, badge, box);
  const oursPaths = photos.files.map((file) => `/is/image/photos/${file}?${compositeQuery()}`);
  const plainPaths = photos.files.map((file) => `/is/image/photos/${file}?wid=${WID}&qlt=${QUALITY}`);
  const floorPaths = photos.files.map((file) => `/${file}`);
  for (const p of oursPaths) {
    const r = await fetch(`${ours.base}${p}&id=warm`);
    if (!r.ok) {
      throw new Error(`${p}: HTTP ${r.status} ${await r.text()}`);
    }
  }
  await Promise.all(floorPaths.map((p) => fetch(`${floor.base}${p}`).then((r) => r.arrayBuffer())));
  const table = [];
  for (const c of CONNECTIONS) {
    const runs = { ceiling: [], floor: [], ours: [], plain: [], before: [] };
    for (let round = 0; round < ROUNDS; round++) {
      log(`${c} connections, round ${round + 1}/${ROUNDS} …`);
      runs.ceiling.push(await ceiling(photos, sizes, badge, box, c));
      runs.floor.push(await load(bin, floor.base, floorPaths, c, undefined));
      runs.ours.push(await load(bin, ours.base, oursPaths, c, ours.child.pid));
      if (args.plain || before) {
        runs.plain.push(await load(bin, ours.base, plainPaths, c, ours.child.pid));
      }
      if (before) {
        runs.before.push(await load(bin, before.base, plainPaths, c, before.child.pid));
      }
    }
    table.push({ c, runs });
  }
  ours.child.kill('SIGTERM');
  before?.child.kill('SIGTERM');
  floor.server.close();
  const pick = (rs) => ({ rps: median(rs.map((r) => r.rps)), p99: median(rs.map((r) => r.p99)), cpu: median(rs.map((r) => r.cpuPerReq)), errors: rs.reduce((s, r) => s + r.errors, 0) });
  console.log(`\n${TEXT === undefined ? '3' : '4'}-layer composite (photo + PNG badge with alpha at pos + 50 % colour layer${TEXT === undefined ? '' : ' + one line of text'}), wid=${WID}, q${QUALITY}, cache misses, ${DURATION}s runs, median of ${ROUNDS}, wrk`);
  console.log('conns  contender   req/s   p99 ms   CPU ms/req  errors');
  for (const { c, runs } of table) {
    for (const name of ['ceiling', 'floor', 'ours', ...(args.plain || before ? ['plain'] : []), ...(before ? ['before'] : [])]) {
      const r = pick(runs[name]);
      console.log(`${String(c).padStart(5)}  ${name.padEnd(9)} ${f(r.rps).padStart(7)} ${f(r.p99, 0).padStart(8)} ${f(r.cpu).padStart(12)} ${String(r.errors).padStart(7)}`);
    }
    const o = pick(runs.ours);
    const fl = pick(runs.floor);
    const ce = pick(runs.ceiling);
    const ratio = o.rps / fl.rps;
    if (before) {
      const p = pick(runs.plain);
      const b = pick(runs.before);
      console.log(`       single image: this build ${f(p.rps)} req/s, ${f(p.cpu)} ms CPU vs the --before build ${f(b.rps)} req/s, ${f(b.cpu)} ms CPU (${f(p.rps / b.rps, 3)}×)`);
    }
    console.log(`       ours ÷ floor ${f(ratio, 3)} (target ≥ 0.95: ${ratio >= 0.95 ? 'met' : 'NOT met'}), p99 ${f(o.p99, 0)} vs ${f(fl.p99, 0)} ms (${o.p99 <= fl.p99 ? 'met' : 'NOT met'}); ours ÷ ceiling ${f(o.rps / ce.rps, 3)}`);
  }
  process.exit(0);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
