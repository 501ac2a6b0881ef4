import { redisOptionsFromUrl } from '@openexp/service-runtime';
import { Queue } from 'bullmq';
import type { IncomingHttpHeaders } from 'node:http';
import { InternalQueueName } from '../src/queues/internal-queues';
import { TestApi, createProperty, createRule, dataOf, expectError } from './harness';
import { LoopbackServer } from './loopback-server';

interface Delivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

/** A real HTTP receiver on loopback: `/fail` answers 500, anything else 200. */
class Receiver {
  readonly deliveries: Delivery[] = [];
  private readonly server = new LoopbackServer((req, body, res) => {
    this.deliveries.push({ path: req.url ?? '', headers: req.headers, body: body.toString('utf8'), receivedAt: Date.now() });
    res.statusCode = req.url?.startsWith('/fail') ? 500 : 200;
    res.end();
  });

  get url(): string {
    return this.server.url;
  }

  start(): Promise<void> {
    return this.server.start();
  }

  async waitFor(path: string): Promise<Delivery> {
    for (let i = 0; i < 300; i++) {
      const found = this.deliveries.find((d) => d.path === path);
      if (found !== undefined) {
        return found;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no delivery to ${path}; got ${this.deliveries.map((d) => d.path).join(', ')}`);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}

describe('callbacks (§2.11, scenario 36)', () => {
  const api = new TestApi();
  const receiver = new Receiver();
  let queue: Queue;
  let property: string;

  beforeAll(async () => {
    await receiver.start();
    await api.start({ CALLBACKS_ALLOW_HTTP: 'true', CALLBACKS_TIMEOUT_MS: '5000' });
    queue = new Queue(InternalQueueName.Callbacks, { connection: redisOptionsFromUrl(process.env['TEST_REDIS_URL'] ?? ''), prefix: api.queuePrefix });
    property = await createProperty(api);
  });
  afterAll(async () => {
    await queue?.close();
    await api.stop();
    await receiver.stop();
  });

  const create = (url: string, subscriptions: unknown, propertyId = property) =>
    // The SDK's createCallback sends no `type`.
    api.post(`/properties/${propertyId}/callbacks`, { data: { attributes: { url, subscriptions } } });

  it('CRUD as the SDK uses it: create without type, get, list, PATCH and PUT, property, delete → 404', async () => {
    const created = dataOf<{ id: string; type: string; attributes: { url: string; subscriptions: string[] }; relationships: { property: { data: { id: string } } } }>(
      await create('https://example.com', ['rule.created', 'data_element.created']),
      201,
    );
    expect(created.id).toMatch(/^CB[0-9a-f]{32}$/);
    expect(created.type).toBe('callbacks');
    expect(created.attributes).toMatchObject({ url: 'https://example.com', subscriptions: ['rule.created', 'data_element.created'] });
    expect(created.relationships.property.data.id).toBe(property);

    const other = dataOf<{ id: string }>(await create('https://chidi.example/', ['rule.deleted']), 201).id;
    const listed = dataOf<Array<{ id: string }>>(await api.get(`/properties/${property}/callbacks`)).map((c) => c.id);
    expect(listed).toEqual(expect.arrayContaining([created.id, other]));

    const patched = dataOf<{ attributes: { url: string; subscriptions: string[] } }>(
      await api.patch(`/callbacks/${created.id}`, { data: { id: created.id, type: 'callbacks', attributes: { url: 'https://eleanor.example', subscriptions: ['rule.deleted'] } } }),
    );
    expect(patched.attributes).toMatchObject({ url: 'https://eleanor.example', subscriptions: ['rule.deleted'] });
    const put = await api.request('PUT', `/callbacks/${created.id}`, { data: { id: created.id, type: 'callbacks', attributes: { subscriptions: ['host.updated'] } } });
    expect(dataOf<{ attributes: { url: string; subscriptions: string[] } }>(put).attributes).toMatchObject({ url: 'https://eleanor.example', subscriptions: ['host.updated'] });
    expect(dataOf<{ attributes: { subscriptions: string[] } }>(await api.get(`/callbacks/${created.id}`)).attributes.subscriptions).toEqual(['host.updated']);

    expect(dataOf<{ id: string }>(await api.get(`/callbacks/${created.id}/property`)).id).toBe(property);
    const removed = await api.delete(`/callbacks/${created.id}`);
    expect(removed.status).toBe(204);
    expect(removed.text).toBe('');
    expectError(await api.get(`/callbacks/${created.id}`), 404, 'not-found');
  });

  it('validation errors point at the field: url scheme, credentials in the URL, unknown event types, missing members, id/type mismatch', async () => {
    const badScheme = { data: { attributes: { url: 'ftp://example.com/x', subscriptions: ['rule.created'] } } };
    expect(expectError(await api.post(`/properties/${property}/callbacks`, badScheme), 422, 'validation-error', badScheme)['source']).toEqual({ pointer: '/data/attributes/url' });
    const withPassword = { data: { attributes: { url: 'https://user:secret@example.com/x', subscriptions: ['rule.created'] } } };
    const passwordError = expectError(await api.post(`/properties/${property}/callbacks`, withPassword), 422, 'validation-error', withPassword);
    expect(passwordError['source']).toEqual({ pointer: '/data/attributes/url' });
    expect(JSON.stringify(passwordError)).not.toContain('secret');
    const badType = { data: { attributes: { url: 'https://example.com', subscriptions: ['rule.created', 'callback.created'] } } };
    expect(expectError(await api.post(`/properties/${property}/callbacks`, badType), 422, 'validation-error', badType)['source']).toEqual({ pointer: '/data/attributes/subscriptions/1' });
    const none = { data: { attributes: { url: 'https://example.com', subscriptions: [] } } };
    expect(expectError(await api.post(`/properties/${property}/callbacks`, none), 422, 'validation-error', none)['source']).toEqual({ pointer: '/data/attributes/subscriptions' });
    const missing = { data: { type: 'callbacks', attributes: { subscriptions: ['rule.created'] } } };
    expect(expectError(await api.post(`/properties/${property}/callbacks`, missing), 422, 'validation-error', missing)['source']).toEqual({ pointer: '/data/attributes/url' });
    const wrongType = { data: { type: 'hosts', attributes: { url: 'https://example.com', subscriptions: ['rule.created'] } } };
    expectError(await api.post(`/properties/${property}/callbacks`, wrongType), 409, 'type-mismatch', wrongType);
    const id = dataOf<{ id: string }>(await create('https://example.com/a', ['environment.deleted']), 201).id;
    const mismatch = { data: { id: `CB${'0'.repeat(32)}`, type: 'callbacks', attributes: { url: 'https://example.com/b' } } };
    expectError(await api.patch(`/callbacks/${id}`, mismatch), 409, 'id-mismatch', mismatch);
    expectError(await api.post(`/properties/PR${'0'.repeat(32)}/callbacks`, { data: { attributes: { url: 'https://example.com', subscriptions: ['rule.created'] } } }), 404, 'not-found');
  });

  it('scenario 36: rule.created is recorded and POSTed to the subscribed callback with a Content-Type, as the audit event document', async () => {
    await create(`${receiver.url}/rules`, ['rule.created']);
    await create(`${receiver.url}/hosts-only`, ['host.created']);
    const rule = await createRule(api, property, 'Announced');
    const events = dataOf<Array<{ id: string; attributes: { type_of: string; entity: string } }>>(await api.get(`/audit_events?filter[type_of]=EQ rule.created&filter[property]=EQ ${property}`));
    const event = events.find((e) => (JSON.parse(e.attributes.entity) as { data: { id: string } }).data.id === rule);
    expect(event).toBeDefined();
    const related = dataOf<Array<{ id: string }>>(await api.get(`/properties/${property}/audit_events?filter[type_of]=EQ rule.created`)).map((e) => e.id);
    expect(related).toContain(event?.id);
    expect((JSON.parse(event?.attributes.entity ?? '{}') as { data: { type: string; attributes: { name: string } } }).data).toMatchObject({ type: 'rules', attributes: { name: 'Announced' } });

    const delivery = await receiver.waitFor('/rules');
    expect(delivery.headers['content-type']).toBe('application/vnd.api+json');
    const document = JSON.parse(delivery.body) as { data: { id: string; type: string; attributes: { type_of: string; entity: string } } };
    expect(document.data).toMatchObject({ id: event?.id, type: 'audit_events', attributes: { type_of: 'rule.created' } });
    expect((JSON.parse(document.data.attributes.entity) as { data: { id: string } }).data.id).toBe(rule);
    // Only subscribed types are delivered: the host-only callback got nothing for the rule.
    expect(receiver.deliveries.filter((d) => d.path === '/hosts-only')).toEqual([]);
    // One delivery job per callback subscribed to rule.created, none for the others.
    const callbacks = dataOf<Array<{ id: string; attributes: { subscriptions: string[] } }>>(await api.get(`/properties/${property}/callbacks?page[size]=100`));
    const subscribed = callbacks.filter((c) => c.attributes.subscriptions.includes('rule.created')).map((c) => c.id);
    const jobs = await queue.getJobs(['completed', 'waiting', 'active', 'delayed', 'failed', 'prioritized']);
    const forEvent = jobs.filter((j) => j.id?.startsWith(`${event?.id}-`)).map((j) => (j.data as { callbackId: string }).callbackId);
    expect(forEvent.sort()).toEqual(subscribed.sort());
  });

  it('a 500 from the receiver schedules the retry one minute after the failed attempt (delayed job in Redis)', async () => {
    const callback = dataOf<{ id: string }>(await create(`${receiver.url}/fail`, ['rule.updated']), 201).id;
    const rule = await createRule(api, property, 'Will change');
    dataOf(await api.patch(`/rules/${rule}`, { data: { id: rule, type: 'rules', attributes: { name: 'Changed' } } }));
    const attempt = await receiver.waitFor('/fail');
    const events = dataOf<Array<{ id: string; attributes: { entity: string } }>>(await api.get(`/audit_events?filter[type_of]=EQ rule.updated&filter[property]=EQ ${property}`));
    const event = events.find((e) => (JSON.parse(e.attributes.entity) as { data: { id: string } }).data.id === rule);
    const jobId = `${event?.id}-${callback}`;

    let state = '';
    for (let i = 0; i < 100 && state !== 'delayed'; i++) {
      state = (await queue.getJobState(jobId)) as string;
      if (state !== 'delayed') {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const observed = Date.now();
    expect(state).toBe('delayed');
    const job = await queue.getJob(jobId);
    expect(job?.attemptsMade).toBe(1);
    const client = await queue.client;
    const score = Number(await client.zscore(queue.keys['delayed'] as string, jobId));
    const retryAt = Math.floor(score / 0x1000);
    // The backoff is computed after the 500 arrived and before we looked: retryAt is +1 min of that window.
    expect(retryAt).toBeGreaterThanOrEqual(attempt.receivedAt + 60_000);
    expect(retryAt).toBeLessThanOrEqual(observed + 60_000);
    expect(receiver.deliveries.filter((d) => d.path === '/fail')).toHaveLength(1);
  });
});
