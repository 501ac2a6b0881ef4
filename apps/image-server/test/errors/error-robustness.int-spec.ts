/**
 * Thousands of random and malformed URLs against the running app, over a real socket so no client
 * normalises dot segments or escapes first: never a
 * 5xx, never a crash, never a path or stack in a level-0 error, and the heap returns near its
 * baseline afterwards (a ratio, not an absolute size).
 */
import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startErrorApp, type ErrorApp } from './error-app';
import { expectNothingRevealed } from './error-expectations';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

/** Catalogs at ErrorDetail 2/3, where detail is intended. */
const DETAILED = new Set(['cat2', 'cat3', 'tpl']);

const CATALOGS = ['cat', 'caterr', 'catbroken', 'tpl', 'tplplain', 'cat2', 'cat3', 'locked', 'obf', 'errpath', 'defmissing', 'nope', 'CAT', '..', '%2e%2e', '%2F', ''];
const OBJECTS = ['img1', 'img2', 'mod1', 'noimage', 'ud', 'exp0', 'errimg', 'corrupt', 'bomb', 'onError', 'nope', 'plain/photo.jpg', 'levels.tif', 'img1-pyramid.tif', '../etc/passwd', '..%2F..%2Fetc%2Fpasswd', '%00', '%zz', '%', '%C0%AF', 'a%2fb', '$x$', ''];
const COMMANDS = ['wid', 'hei', 'scl', 'fit', 'fmt', 'qlt', 'req', 'bgc', 'op_blur', 'op_usm', 'crop', 'cropN', 'rect', 'rgn', 'align', 'extend', 'rotate', 'flip', 'size', 'defaultImage', 'id', 'handler', 'cache', 'printRes', 'resMode', 'src', 'layer', 'text', '$v', 'WID', '.c', ''];
const VALUES = [
  '', '0', '-1', '1', '10', '2001', '99999999999', 'abc', 'NaN', '1e309', '0.4', '1,1', ',', ',,,,', 'crop', 'fit,1', 'bogus', 'jpeg,gray', 'png-alpha',
  'props', 'props,json', 'props,xml', 'props,javascript', 'imageprops,json', 'validate,xml', 'tmb', 'exists', 'bogus,json', 'props,json,utf-16',
  'ff0000', 'gray,50g', '%', '%zz', '%00', '%E2%80%A8', '<script>alert(1)</script>', "');alert(1);//", 'a.b', 'is(cat/img1?wid=1', '{', '(', '$v$',
  'cat/img1', 'nope', '../../etc/passwd', 'on', 'off,update',
];

const segment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...OBJECTS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map(encodeURIComponent) },
);
const value = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...VALUES).map((v) => (v.includes('%') ? v : encodeURIComponent(v))) },
  { weight: 1, arbitrary: fc.string({ maxLength: 16, unit: 'grapheme' }).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 3000 }).map(String) },
);
const command = fc.tuple(fc.oneof(fc.constantFrom(...COMMANDS), fc.string({ maxLength: 6 }).map(encodeURIComponent)), value, fc.boolean()).map(([name, v, withEq]) =>
  withEq ? `${name}=${v}` : name,
);
const url = fc
  .tuple(fc.constantFrom(...CATALOGS), fc.array(segment, { maxLength: 3 }), fc.array(command, { maxLength: 6 }), fc.constantFrom('', '&', '&&', '&4a1f', '&0000'))
  .map(([catalog, path, commands, tail]) => {
    const p = [catalog, ...path].filter((s, i) => i === 0 || s !== '').join('/');
    const q = commands.join('&') + tail;
    return { catalog, url: `/is/image/${p}${q === '' ? '' : `?${q}`}` };
  });

let srv: ErrorApp;

beforeAll(async () => {
  srv = await startErrorApp();
});

afterAll(async () => {
  await srv.close();
});

async function runProperty(numRuns: number, seed: number): Promise<number> {
  let errors = 0;
  await fc.assert(
    fc.asyncProperty(url, async ({ catalog, url: target }) => {
      const reply = await srv.rawGet(target);
      expect(reply.status).toBeLessThan(500);
      // Even a path Fastify's router cannot decode is answered by the image server's own error.
      expect(reply.text).not.toContain('FST_ERR_');
      if (reply.status >= 400) {
        errors++;
        expect(reply.headers['cache-control']).toBe('no-cache, no-store, max-age=0');
        if (!DETAILED.has(catalog)) {
          expectNothingRevealed(reply);
        }
      }
      if (reply.headers['x-is-error-image'] !== undefined) {
        expect(reply.headers['cache-control']).toBe('no-cache, no-store, max-age=0');
      }
    }),
    { numRuns, seed, endOnFailure: true },
  );
  return errors;
}

it('answers thousands of random and malformed URLs without a 5xx or a leak, and the heap returns near its baseline', async () => {
  await runProperty(600, 1); // warm-up: JIT, caches, lazily loaded modules
  gc();
  const baseline = process.memoryUsage().heapUsed;
  const errors = await runProperty(3000, 2);
  gc();
  const after = process.memoryUsage().heapUsed;
  expect(errors).toBeGreaterThan(1000); // most generated URLs must be errors, or this tests nothing
  expect(after / baseline).toBeLessThan(1.5);
  const health = await srv.rawGet('/healthz');
  expect(health.status).toBe(200);
}, 300_000);

it('answers a path the router cannot decode with the Image Serving usage error, not a framework 400', async () => {
  const reply = await srv.rawGet('/is/image/cat/%zz?wid=100');
  expect(reply.status).toBe(403);
  expect(reply.headers['content-type']).toMatch(/^text\/plain/);
  expect(reply.headers['cache-control']).toBe('no-cache, no-store, max-age=0');
  expect(reply.text).not.toContain('FST_ERR_');
});
