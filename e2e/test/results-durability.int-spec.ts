import { Queue } from 'bullmq';
import { QueueName } from '@openexp/queue-contracts';
import { redisOptionsFromUrl } from '@openexp/service-runtime';
import { ReactorClient, type ApiResponse, type JsonApiResource } from './support/reactor-client';
import { startReactorStack, type ReactorStack } from './support/stack';

/**
 * Results travel on a durable queue, not pub/sub (DESIGN.md "Flows"): a build result posted while
 * reactor-api is down waits in Redis and is applied when reactor-api comes back. The worker is held
 * back until reactor-api has stopped, so the result is provably posted during the outage.
 */
let stack: ReactorStack;
let api: ReactorClient;
let results: Queue;

const one = (res: ApiResponse, status: number): JsonApiResource => ReactorClient.resource(res, status);
const rel = (type: string, id: string) => ({ data: { id, type } });

beforeAll(async () => {
  stack = await startReactorStack();
  api = stack.client;
  results = new Queue(QueueName.Results, { connection: redisOptionsFromUrl(stack.redisUrl), prefix: stack.queuePrefix });
});

afterAll(async () => {
  await results?.close();
  await stack?.stop();
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

it('applies a build result posted while reactor-api was down once it is back', async () => {
  const company = ReactorClient.list(await api.get('/companies'))[0]?.id as string;
  const property = one(
    await api.post(`/companies/${company}/properties`, {
      data: { type: 'properties', attributes: { name: 'Outage', platform: 'web', domains: ['example.com'] } },
    }),
    201,
  ).id;
  const host = one(await api.post(`/properties/${property}/hosts`, { data: { type: 'hosts', attributes: { name: 'Managed', type_of: 'akamai' } } }), 201).id;
  const environment = one(
    await api.post(`/properties/${property}/environments`, {
      data: { type: 'environments', attributes: { name: 'Dev', stage: 'development' }, relationships: { host: rel('hosts', host) } },
    }),
    201,
  ).id;
  const coreHead = ReactorClient.list(await api.get(`/properties/${property}/extensions?filter[name]=EQ%20core`))[0]?.id as string;
  const core = one(await api.patch(`/extensions/${coreHead}`, { data: { id: coreHead, type: 'extensions', attributes: {}, meta: { action: 'revise' } } }), 200).id;
  const library = one(await api.post(`/properties/${property}/libraries`, { data: { type: 'libraries', attributes: { name: 'Outage library' } } }), 201).id;
  expect((await api.post(`/libraries/${library}/relationships/extensions`, { data: [{ id: core, type: 'extensions' }] })).status).toBe(200);
  expect((await api.patch(`/libraries/${library}/relationships/environment`, { data: { id: environment, type: 'environments' } })).status).toBe(200);

  await stack.stopApp('buildWorker');
  const build = one(await api.post(`/libraries/${library}/builds`), 201);
  expect(build.attributes['status']).toBe('pending');
  await stack.stopApp('reactorApi');

  // With nobody consuming results, the worker's result must wait in Redis.
  await stack.startApp('buildWorker');
  await until('the build result to be queued', async () => ((await results.getWaitingCount()) > 0 ? true : undefined));

  await stack.startApp('reactorApi');
  const applied = await until('the build to leave pending', async () => {
    const current = one(await api.get(`/builds/${build.id}`), 200);
    return current.attributes['status'] === 'pending' ? undefined : current;
  });
  expect(applied.attributes['status']).toBe('succeeded');
  expect(await results.getWaitingCount()).toBe(0);
  const artifact = await fetch(applied.meta?.['artifact_url'] as string);
  expect(artifact.status).toBe(200);
  expect(await artifact.text()).toContain('_satellite');
}, 300_000);
