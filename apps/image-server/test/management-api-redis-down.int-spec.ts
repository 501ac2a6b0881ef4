// Redis goes away under the management API: requests get 503 service-unavailable (never a 500),
// image traffic and the public readiness are untouched, and once Redis is back a job submitted
// before the outage completes and reaches both replicas.
import sharp from 'sharp';
import { eventually, ReplicasHarness } from './support/management.harness';
import { RestartableRedis } from './support/restartable-redis';

describe('management API while Redis restarts', () => {
  let redis: RestartableRedis;
  let h: ReplicasHarness;
  let token: string;

  beforeAll(async () => {
    redis = await RestartableRedis.start();
    h = await ReplicasHarness.start({}, redis.url);
    token = await h.token(['cat']);
  });
  afterAll(async () => {
    await redis.up().catch(() => undefined);
    await h.close();
    await redis.stop();
  });

  it('answers 503 while Redis is down, keeps serving images, and recovers', async () => {
    const png = await sharp({ create: { width: 30, height: 20, channels: 3, background: { r: 0, g: 128, b: 0 } } }).png().toBuffer();
    const form = new FormData();
    form.set('id', 'during-outage');
    form.set('file', new Blob([new Uint8Array(png)]), 'g.png');
    await h.worker.pause();
    const created = await h.call('POST', '/catalogs/cat/assets', token, { body: form });
    expect(created.status).toBe(202);

    await redis.down();
    const down = await h.call('GET', `/jobs/${created.json.data?.id ?? ''}`, token);
    expect({ status: down.status, code: down.json.errors?.[0]?.code }).toEqual({ status: 503, code: 'service-unavailable' });
    expect((await h.image(0, '/is/image/cat/img1?wid=10')).status).toBe(200);
    expect((await h.image(0, '/readyz')).status).toBe(200);

    await redis.up();
    h.worker.resume();
    const done = await eventually(async () => (await h.call('GET', `/jobs/${created.json.data?.id ?? ''}`, token)).json.data?.attributes['status'] === 'succeeded', 30_000);
    expect(done).toBe(true);
    const published = async (i: number) => (await h.image(i, '/is/image/cat/during-outage?req=exists')).text.includes('catalogRecord.exists=1');
    expect(await eventually(async () => (await published(0)) && (await published(1)), 30_000)).toBe(true);
  });
});
