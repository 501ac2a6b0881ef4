// Bad input to the management API: JSON:API error documents with the right status and code, never a 500.
import { assertValidErrorDocument } from '@openexp/errors';
import { randomBytes } from 'node:crypto';
import { ReplicasHarness } from './support/management.harness';

describe('management API errors', () => {
  let h: ReplicasHarness;
  let token: string;

  beforeAll(async () => {
    h = await ReplicasHarness.start({ IS_API_UPLOAD_MAX_BYTES: '100000' });
    token = await h.token(['cat']);
  });
  afterAll(async () => {
    await h.close();
  });

  const form = (fields: Record<string, string>, file?: Buffer) => {
    const f = new FormData();
    Object.entries(fields).forEach(([k, v]) => f.set(k, v));
    if (file !== undefined) {
      f.set('file', new Blob([new Uint8Array(file)]), 'x.jpg');
    }
    return f;
  };
  const json = (body: string) => ({ body, headers: { 'content-type': 'application/vnd.api+json' } });

  it.each([
    ['no token', 'GET', '/catalogs/cat/assets', undefined, {}, 401, 'authentication-failure'],
    ['a wrong token', 'GET', '/catalogs/cat/assets', 'isk_AAAAAAAAAAAAAAAA_' + 'A'.repeat(43), {}, 401, 'authentication-failure'],
    ['another catalog', 'GET', '/catalogs/viewer/assets', 'TOKEN', {}, 403, 'not-authorized'],
    ['an unknown catalog', 'GET', '/catalogs/nope/assets', 'TOKEN', {}, 404, 'not-found'],
    ['an unknown asset', 'GET', '/catalogs/cat/assets/nothing-here', 'TOKEN', {}, 404, 'not-found'],
    ['an unknown job', 'GET', '/jobs/AJ00000000000000000000000000000000', 'TOKEN', {}, 404, 'not-found'],
    ['an unknown route', 'GET', '/nothing', 'TOKEN', {}, 404, 'route-not-found'],
    ['a bad page size', 'GET', '/catalogs/cat/assets?page[size]=1000', 'TOKEN', {}, 400, 'invalid-parameter'],
    ['a JSON upload', 'POST', '/catalogs/cat/assets', 'TOKEN', json('{}'), 415, 'unsupported-media-type'],
    ['an upload without a file', 'POST', '/catalogs/cat/assets', 'TOKEN', { body: form({ id: 'a' }) }, 422, 'validation-error'],
    ['an upload without an id', 'POST', '/catalogs/cat/assets', 'TOKEN', { body: form({}, Buffer.from('x')) }, 422, 'validation-error'],
    ['an unknown record field', 'POST', '/catalogs/cat/assets', 'TOKEN', { body: form({ id: 'a', Colour: 'red' }, Buffer.from('x')) }, 422, 'validation-error'],
    ['a tab in a record field', 'POST', '/catalogs/cat/assets', 'TOKEN', { body: form({ id: 'a', UserData: 'a\tb' }, Buffer.from('x')) }, 422, 'validation-error'],
    ['a bad asset id', 'POST', '/catalogs/cat/assets', 'TOKEN', { body: form({ id: '../x' }, Buffer.from('x')) }, 422, 'validation-error'],
    ['a replace of an unknown asset', 'PUT', '/catalogs/cat/assets/nothing-here', 'TOKEN', { body: form({}, Buffer.from('x')) }, 404, 'not-found'],
    ['an upload over the limit', 'POST', '/catalogs/cat/assets', 'TOKEN', { body: form({ id: 'big' }, randomBytes(150_000)) }, 413, 'payload-too-large'],
    ['malformed JSON', 'POST', '/catalogs/cat/purges', 'TOKEN', json('{"data":'), 400, 'malformed-json'],
    ['a purge of the wrong type', 'POST', '/catalogs/cat/purges', 'TOKEN', json('{"data":{"type":"assets","attributes":{"ids":["img1"]}}}'), 409, 'type-mismatch'],
    ['an empty purge', 'POST', '/catalogs/cat/purges', 'TOKEN', json('{"data":{"type":"purges","attributes":{}}}'), 422, 'validation-error'],
    ['a purge URL of another catalog', 'POST', '/catalogs/cat/purges', 'TOKEN', json('{"data":{"type":"purges","attributes":{"urls":["/is/image/viewer/x"]}}}'), 422, 'validation-error'],
    ['a multipart body without its boundary', 'POST', '/catalogs/cat/assets', 'TOKEN', { body: 'garbage', headers: { 'content-type': 'multipart/form-data; boundary=xyz' } }, 400, 'invalid-document'],
    ['a multipart type without a boundary', 'POST', '/catalogs/cat/assets', 'TOKEN', { body: '--x\r\n', headers: { 'content-type': 'multipart/form-data' } }, 400, 'invalid-document'],
    ['a truncated multipart body', 'POST', '/catalogs/cat/assets', 'TOKEN', { body: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\nabc', headers: { 'content-type': 'multipart/form-data; boundary=xyz' } }, 400, 'invalid-document'],
    ['a multipart body with 60 fields', 'POST', '/catalogs/cat/assets', 'TOKEN', { body: Array.from({ length: 60 }, (_, i) => `--xyz\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nv\r\n`).join('') + '--xyz--\r\n', headers: { 'content-type': 'multipart/form-data; boundary=xyz' } }, 413, 'payload-too-large'],
    ['a purge sent as text', 'POST', '/catalogs/cat/purges', 'TOKEN', { body: 'ids=img1', headers: { 'content-type': 'text/plain' } }, 415, 'unsupported-media-type'],
    ['an asset id with a control character', 'GET', '/catalogs/cat/assets/a%00b', 'TOKEN', {}, 400, 'invalid-parameter'],
    ['a bad Idempotency-Key', 'POST', '/catalogs/cat/assets', 'TOKEN', { body: form({ id: 'a' }, Buffer.from('x')), headers: { 'idempotency-key': 'a b' } }, 422, 'validation-error'],
  ] as const)('answers %s (%s %s) with %i %s', async (_name, method, path, who, init, status, code) => {
    const response = await h.call(method, path, who === 'TOKEN' ? token : who, init as { body?: string | FormData; headers?: Record<string, string> });
    expect({ status: response.status, code: response.json.errors?.[0]?.code }).toEqual({ status, code });
    expect(response.type).toContain('application/vnd.api+json');
    assertValidErrorDocument(response.json);
  });

  it('leaves nothing in the staging folder after refused uploads', async () => {
    const { readdir } = await import('node:fs/promises');
    const left = await readdir(`${h.root}/staging`).catch(() => []);
    expect(left).toEqual([]);
  });

  it('never serves the management API on the public port', async () => {
    expect((await h.image(0, '/catalogs/cat/assets')).status).toBe(404);
    expect((await h.image(0, '/jobs')).status).toBe(404);
  });
});
