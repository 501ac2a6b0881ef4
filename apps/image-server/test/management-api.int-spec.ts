// The management API (issue 17 item 1) on its own port, against real Redis, with the test stand-in
// for build-worker's asset processor (support/asset-worker.harness.ts) and two real replicas.
import { assertValidStatusDetails } from '@openexp/errors';
import sharp from 'sharp';
import { eventually, ReplicasHarness, type ApiJson } from './support/management.harness';
import { pixels } from './support/image-server.harness';

const solid = (r: number, g: number, b: number, width = 64, height = 48) => sharp({ create: { width, height, channels: 3, background: { r, g, b } } }).png().toBuffer();

function uploadForm(file: Buffer | undefined, fields: Record<string, string>, name = 'photo.png'): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    form.set(k, v);
  }
  if (file !== undefined) {
    form.set('file', new Blob([new Uint8Array(file)]), name);
  }
  return form;
}

describe('management API', () => {
  let h: ReplicasHarness;
  let token: string;

  beforeAll(async () => {
    h = await ReplicasHarness.start({ IS_API_UPLOAD_MAX_BYTES: '200000' });
    token = await h.token(['cat']);
  });
  afterAll(async () => {
    await h.close();
  });

  const jobOutcome = async (jobId: string): Promise<ApiJson> => {
    let doc: ApiJson = {};
    await eventually(async () => {
      doc = (await h.call('GET', `/jobs/${jobId}`, token)).json;
      return doc.data?.attributes['status'] !== 'pending';
    });
    return doc;
  };

  const centre = async (i: number, id: string) => (await pixels((await h.image(i, `/is/image/cat/${id}?wid=32&fmt=png`)).body)).at(16, 12);

  it('uploads, publishes to both replicas, shows the asset, replaces it with a new ETag, and unpublishes it', async () => {
    const created = await h.call('POST', '/catalogs/cat/assets', token, { body: uploadForm(await solid(255, 0, 0), { id: 'shoe', Modifier: 'bgc=00ff00' }) });
    expect(created.status).toBe(202);
    expect(created.type).toContain('application/vnd.api+json');
    expect(created.json.data?.attributes).toMatchObject({ kind: 'upload', status: 'pending', catalog: 'cat', asset_id: 'shoe', record: { Modifier: 'bgc=00ff00' } });
    const done = await jobOutcome(created.json.data?.id ?? '');
    expect(done.data?.attributes['status']).toBe('succeeded');
    // The catalog has a DefaultImage, so the id answers 200 before it is published: wait for its pixels.
    const red = async (i: number) => (await centre(i, 'shoe')).join() === '255,0,0';
    expect(await eventually(async () => (await red(0)) && (await red(1)))).toBe(true);
    const etag = (await h.image(1, '/is/image/cat/shoe?wid=32&fmt=png')).headers['etag'];

    const asset = await h.call('GET', '/catalogs/cat/assets/shoe', token);
    expect(asset.json.data).toMatchObject({ id: 'cat/shoe', type: 'assets', attributes: { status: 'published', version: 1, width: 64, height: 48, format: 'png', record: { Modifier: 'bgc=00ff00' } } });

    const replaced = await h.call('PUT', '/catalogs/cat/assets/shoe', token, { body: uploadForm(await solid(0, 0, 255), {}) });
    expect(replaced.status).toBe(202);
    expect((await jobOutcome(replaced.json.data?.id ?? '')).data?.attributes['status']).toBe('succeeded');
    expect(await eventually(async () => (await centre(0, 'shoe'))[2] === 255 && (await centre(1, 'shoe'))[2] === 255)).toBe(true);
    expect((await h.image(1, '/is/image/cat/shoe?wid=32&fmt=png')).headers['etag']).not.toBe(etag);
    expect((await h.call('GET', '/catalogs/cat/assets/shoe', token)).json.data?.attributes['version']).toBe(2);

    const removed = await h.call('DELETE', '/catalogs/cat/assets/shoe', token);
    expect(removed.status).toBe(202);
    expect((await jobOutcome(removed.json.data?.id ?? '')).data?.attributes['status']).toBe('succeeded');
    const gone = async (i: number) => (await h.image(i, '/is/image/cat/shoe?req=exists')).text.includes('catalogRecord.exists=0');
    expect(await eventually(async () => (await gone(0)) && (await gone(1)))).toBe(true);
    expect((await h.call('GET', '/catalogs/cat/assets/shoe', token)).json.data?.attributes['status']).toBe('unpublished');
  });

  it('makes one job for an upload repeated with the same Idempotency-Key, and refuses the key for another request', async () => {
    const file = await solid(10, 20, 30);
    const send = (id: string) => h.call('POST', '/catalogs/cat/assets', token, { body: uploadForm(file, { id }), headers: { 'idempotency-key': 'key-1' } });
    const first = await send('once');
    const second = await send('once');
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.json.data?.id).toBe(first.json.data?.id);
    const jobs = await h.call('GET', '/jobs?filter[asset_id]=once', token);
    expect(jobs.json.data).toHaveLength(1);
    const other = await send('another');
    expect(other.status).toBe(422);
    expect(other.json.errors?.[0]).toMatchObject({ code: 'validation-error', meta: { header: 'Idempotency-Key' } });
  });

  it('fails a job with the worker failures in meta.status_details, as the Reactor API does', async () => {
    h.worker.failNext([{ code: 'unknown-error', detail: 'The image could not be decoded.', context: { step: 'validate' } }]);
    const created = await h.call('POST', '/catalogs/cat/assets', token, { body: uploadForm(await solid(1, 2, 3), { id: 'broken' }) });
    const failed = await jobOutcome(created.json.data?.id ?? '');
    expect(failed.data?.attributes['status']).toBe('failed');
    const details = failed.data?.meta['status_details'];
    assertValidStatusDetails(details);
    expect(details).toMatchObject({ errors: [{ status: '500', code: 'unknown-error', title: 'Unknown Error', detail: 'The image could not be decoded.', meta: { request_id: created.json.data?.id, context: { step: 'validate' } } }] });
    expect((await h.call('GET', '/catalogs/cat/assets/broken', token)).json.data?.attributes['status']).toBe('failed');
  });

  it('purges one URL from both replicas result caches', async () => {
    const url = '/is/image/cat/img1?wid=20';
    // Cached on both (a catalog reload from an earlier test's broadcast may cost one more miss).
    for (const i of [0, 1]) {
      expect(await eventually(async () => (await h.image(i, url)).headers['x-is-cache'] === 'hit')).toBe(true);
    }
    const purge = await h.call('POST', '/catalogs/cat/purges', token, { body: JSON.stringify({ data: { type: 'purges', attributes: { urls: [url] } } }), headers: { 'content-type': 'application/vnd.api+json' } });
    expect(purge.status).toBe(202);
    expect((await jobOutcome(purge.json.data?.id ?? '')).data?.attributes['status']).toBe('succeeded');
    expect(await eventually(async () => (await h.image(0, url)).headers['x-is-cache'] === 'miss' && (await h.image(1, url)).headers['x-is-cache'] === 'miss')).toBe(true);
  });

  it('lists assets with filters and pages, and jobs', async () => {
    const page = await h.call('GET', '/catalogs/cat/assets?filter[id]=img&page[size]=1&page[number]=1', token);
    expect(page.status).toBe(200);
    expect(page.json.data?.map((a) => a.id)).toEqual(['cat/img1']);
    expect(page.json.meta?.pagination).toMatchObject({ current_page: 1, next_page: 2, total_count: 2 });
    const failed = await h.call('GET', '/jobs?filter[status]=failed', token);
    expect(failed.json.data?.every((j) => j.attributes['status'] === 'failed')).toBe(true);
    expect(failed.json.data?.length).toBeGreaterThanOrEqual(1);
  });
});
