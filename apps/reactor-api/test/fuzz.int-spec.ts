import { RequestMethod } from '@nestjs/common';
import { assertValidErrorDocument } from '@openexp/errors';
import fc from 'fast-check';
import {
  TestApi,
  controllerRoutes,
  coreExtension,
  createAkamaiHost,
  createDataElement,
  createEnvironment,
  createLibrary,
  createProperty,
  createRule,
  dataOf,
  revise,
  type TestResponse,
} from './harness';

/**
 * Issue 14, item 3: random JSON:API documents and query strings sent to every route of the real app
 * (PGlite or TEST_DATABASE_URL, real Redis) never get a 5xx, and every error is a valid JSON:API
 * error document (an OAuth2 error object on the routes that are not JSON:API). The routes come from
 * Nest's controller metadata, so a new route is fuzzed without touching this file. Fixed seed and a bounded number of requests per route (25 per route,
 * 10-50 s depending on the load of the machine).
 */

const SEED = 20261207;
const RUNS_PER_ROUTE = 25;

/** Routes that are not JSON:API: their errors are OAuth2 error objects (the IMS-shaped token endpoint). */
const OAUTH2_ROUTES = ['/ims/token/v3'];

interface Route {
  method: string;
  path: string;
}

/** Every controller route of the running app, each method of an `@All` route on its own. */
function routesOf(api: TestApi): Route[] {
  const routes = controllerRoutes(api).flatMap(({ method, path }) =>
    (method === RequestMethod.ALL ? ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] : [RequestMethod[method]]).map((m) => ({ method: m, path })),
  );
  // Deletions last, so the seeded resources stay for most of the run.
  return routes.sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
}

/**
 * Percent-encodes every UTF-16 code unit sequence, lone surrogates included (as the 3-byte form
 * a careless client would send, which is not valid UTF-8): encodeURIComponent would throw on them.
 */
function percentEncode(text: string): string {
  let out = '';
  for (const char of text) {
    const unit = char.charCodeAt(0);
    if (char.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}

const nasty = fc.constantFrom('\u0000', '\ud800', '\udfff', '\ufffd', '%', '%00', '\\', '"', "'", '~', '/', '..', ',', ' ', '+', '__proto__', 'constructor', '-toString', 'hasOwnProperty', 'x.constructor', 'a.__proto__', '😀', 'NaN', '-1', '0', '1e400');
const text = fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength: 12 }) }, { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) }, { weight: 3, arbitrary: fc.array(fc.oneof(nasty, fc.string({ maxLength: 3 })), { maxLength: 4 }).map((a) => a.join('')) });
const bigNumber = fc.oneof(fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String), fc.constantFrom('2147483647', '2147483648', '9223372036854775808', '99999999999999999999', '-0', '1.5', '0x10'));

const QUERY_NAMES = ['page[number]', 'page[size]', 'sort', 'include', 'filter[name]', 'filter[created_at]', 'filter[updated_at]', 'filter[enabled]', 'filter[revision_number]', 'filter[status]', 'filter[stage]', 'filter[property]', 'filter[__proto__]', 'filter[constructor]', 'fields[rules]'];
const OPS = ['EQ ', 'NOT ', 'LT ', 'GT ', 'BETWEEN ', 'CONTAINS ', 'eq ', ''];
const queryValue = fc.oneof(
  bigNumber,
  text,
  fc.tuple(fc.constantFrom(...OPS), fc.oneof(text, bigNumber, fc.date({ noInvalidDate: true }).map((d) => d.toISOString())), fc.option(fc.oneof(text, bigNumber))).map(([op, a, b]) => (b === null ? `${op}${a}` : `${op}${a},${b}`)),
  fc.array(fc.constantFrom('name', '-name', '+created_at', ' updated_at', '__proto__', 'constructor', '-toString', 'hasOwnProperty', 'revision_number', 'stage'), { minLength: 1, maxLength: 3 }).map((a) => a.join(',')),
);
const queryString = fc
  .array(fc.tuple(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...QUERY_NAMES) }, { weight: 1, arbitrary: text }), queryValue), { maxLength: 5 })
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&')}`));

const TYPES = ['companies', 'properties', 'hosts', 'environments', 'libraries', 'builds', 'extensions', 'extension_packages', 'data_elements', 'rules', 'rule_components', 'callbacks', 'notes', 'secrets', 'audit_events'];
const ATTRIBUTES = ['name', 'platform', 'domains', 'type_of', 'stage', 'path', 'server', 'port', 'username', 'encrypted_private_key', 'settings', 'delegate_descriptor_id', 'order', 'negate', 'enabled', 'url', 'subscriptions', 'text', 'credentials', 'archive', 'archive_passphrase', 'development', 'language', 'rule_order', 'timeout'];
const RELATIONSHIPS = ['host', 'extension', 'extension_package', 'environment', 'rules', 'data_elements', 'extensions', 'property', 'upstream_library', 'origin'];
const ACTIONS = ['revise', 'develop', 'submit', 'approve', 'reject', 'republish', 'release_private', 'discontinue', 'test', 'retry', 'nope', 'constructor', '__proto__', 'toString'];

/** Test scaffolding: random documents built on top of ids that exist, so routes get past the lookup. */
function documents(ids: string[]) {
  const id = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ids) }, { weight: 2, arbitrary: text }, { weight: 1, arbitrary: fc.constantFrom(...ids).map((i) => `${i}\u0000`) });
  const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.constantFrom(2147483648, -1e15, 1e300, Number.MAX_SAFE_INTEGER), fc.boolean(), fc.constant(null), bigNumber);
  const value = fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) }, { weight: 1, arbitrary: fc.dictionary(text, scalar, { maxKeys: 3 }) });
  const identifier = fc.record({ id, type: fc.oneof(fc.constantFrom(...TYPES), text) }, { requiredKeys: [] });
  const relationship = fc.oneof(fc.record({ data: fc.oneof(identifier, fc.array(identifier, { maxLength: 3 }), fc.constant(null), scalar) }), scalar);
  const resource = fc.record(
    {
      type: fc.oneof(fc.constantFrom(...TYPES), text),
      id,
      attributes: fc.oneof({ weight: 5, arbitrary: fc.dictionary(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...ATTRIBUTES) }, { weight: 1, arbitrary: text }), value, { maxKeys: 6 }) }, { weight: 1, arbitrary: scalar }),
      relationships: fc.oneof({ weight: 5, arbitrary: fc.dictionary(fc.constantFrom(...RELATIONSHIPS), relationship, { maxKeys: 3 }) }, { weight: 1, arbitrary: scalar }),
      meta: fc.oneof(fc.record({ action: fc.oneof(fc.constantFrom(...ACTIONS), text) }), scalar),
    },
    { requiredKeys: [] },
  );
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ data: resource }) },
    { weight: 2, arbitrary: fc.record({ data: fc.oneof(fc.array(identifier, { maxLength: 3 }), identifier, fc.constant(null)) }) },
    { weight: 1, arbitrary: resource },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/**
 * How a body travels: as JSON with either JSON content type, as raw text declared JSON (mostly not
 * JSON at all), or as multipart form data with a small file (what package uploads take).
 */
const encoding = fc.oneof(
  { weight: 8, arbitrary: fc.record({ as: fc.constant('json' as const), type: fc.constantFrom('application/json', 'application/vnd.api+json') }) },
  { weight: 1, arbitrary: fc.record({ as: fc.constant('raw' as const), text: fc.oneof(text, fc.constantFrom('{"data":', '[]', 'null', '"\\u0000"', '{"data":{"type":"x\\ud800"}}', '{"__proto__":{"x":1}}')) }) },
  { weight: 1, arbitrary: fc.record({ as: fc.constant('multipart' as const), field: fc.oneof(fc.constant('package'), text), name: text, bytes: fc.uint8Array({ maxLength: 64 }) }) },
);

function sendAs(how: typeof encoding extends fc.Arbitrary<infer T> ? T : never, body: unknown): { headers?: Record<string, string>; raw?: string | FormData } {
  switch (how.as) {
    case 'json':
      return { headers: { 'content-type': how.type } };
    case 'raw':
      return { headers: { 'content-type': 'application/vnd.api+json' }, raw: how.text };
    case 'multipart': {
      const form = new FormData();
      form.append('document', JSON.stringify(body ?? null));
      form.append(how.field, new Blob([how.bytes]), how.name === '' ? 'x.zip' : how.name);
      return { raw: form };
    }
  }
}

function failure(route: Route, url: string, body: unknown, res: TestResponse, why: string): Error {
  return new Error(`${route.method} ${route.path} → ${why}\nurl: ${url}\nbody: ${JSON.stringify(body)}\nresponse ${res.status}: ${res.text.slice(0, 500)}`);
}

describe('reactor-api fuzz: random documents and query strings on every route', () => {
  const api = new TestApi();
  let ids: string[] = [];
  beforeAll(async () => {
    await api.start();
    const company = dataOf<Array<{ id: string }>>(await api.get('/companies'))[0]?.id ?? '';
    const property = await createProperty(api);
    const host = await createAkamaiHost(api, property);
    const environment = await createEnvironment(api, property, host, 'development');
    const library = await createLibrary(api, property);
    const extension = await coreExtension(api, property);
    const dataElement = await createDataElement(api, property, extension, 'DE');
    const rule = await createRule(api, property, 'R');
    const revision = await revise(api, 'rules', rule);
    const packageId = dataOf<{ relationships: { extension_package: { data: { id: string } } } }>(await api.get(`/extensions/${extension}`)).relationships.extension_package.data.id;
    ids = [company, property, host, environment, library, extension, dataElement, rule, revision, packageId];
  });
  afterAll(() => api.stop());

  it('never answers 5xx, and every error is a JSON:API error document', async () => {
    const routes = routesOf(api);
    expect(routes.length).toBeGreaterThan(60);
    const docs = documents(ids);
    const segment = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ids) }, { weight: 2, arbitrary: text }, { weight: 1, arbitrary: fc.constantFrom(...ids).map((i) => `${i}\u0000`) });
    let requests = 0;
    // Every route runs its share even when an earlier one fails, so one run lists every failing route.
    const failures: string[] = [];
    for (const [index, route] of routes.entries()) {
      const params = route.path.match(/:[a-z_]+|\*/gi) ?? [];
      const outcome = await fc.check(
        fc.asyncProperty(fc.array(segment, { minLength: params.length, maxLength: params.length }), queryString, docs, encoding, async (values, query, body, how) => {
          let i = 0;
          const path = route.path.replace(/:[a-z_]+|\*/gi, () => percentEncode(values[i++] ?? '') || 'x');
          const url = `${path}${query}`;
          const hasBody = route.method !== 'GET' && (body !== undefined || how.as !== 'json');
          const res = await api.request(route.method, url, hasBody && how.as === 'json' ? body : undefined, hasBody ? sendAs(how, body) : {});
          requests++;
          if (res.status >= 500) {
            throw failure(route, url, body, res, `${res.status}`);
          }
          if (res.status >= 400 && OAUTH2_ROUTES.includes(route.path)) {
            // Not JSON:API (jsonapi/own-format.ts): OAuth2 errors as IMS sends them, RFC 6749 §5.2.
            const oauth = res.body as Record<string, unknown> | undefined;
            if (!/^application\/json/.test(res.headers.get('content-type') ?? '') || typeof oauth?.['error'] !== 'string' || typeof oauth['error_description'] !== 'string') {
              throw failure(route, url, body, res, 'an error that is not an OAuth2 error object');
            }
          } else if (res.status >= 400) {
            if (!/^application\/vnd\.api\+json/.test(res.headers.get('content-type') ?? '')) {
              throw failure(route, url, body, res, 'an error that is not application/vnd.api+json');
            }
            try {
              assertValidErrorDocument(res.body);
            } catch (error) {
              throw failure(route, url, body, res, (error as Error).message);
            }
            const requestId = (res.body as { errors: Array<{ meta: { request_id: string } }> }).errors[0]?.meta.request_id;
            if (requestId !== res.headers.get('x-request-id')) {
              throw failure(route, url, body, res, 'meta.request_id differs from the x-request-id header');
            }
          }
        }),
        { seed: SEED + index, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
      if (outcome.failed) {
        failures.push(outcome.errorInstance instanceof Error ? outcome.errorInstance.message : String(outcome.errorInstance));
      }
    }
    expect(failures).toEqual([]);
    expect(requests).toBe(routes.length * RUNS_PER_ROUTE);
  }, 240_000);
});
