import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { AuditRepository } from '../audit/audit.repository';
import type { ReactorApiConfig } from '../config/reactor-api.config';
import type { AuditEventRow } from '../database/schema';
import { Links } from '../jsonapi/document';
import { newTestService } from '../test/new-test-service';
import { CallbackDeliveryWorker } from './callback-delivery.worker';
import type { DeliverCallbackJob } from './callback-schedule';
import { CallbackSender } from './callback-sender';
import { CallbacksRepository } from './callbacks.repository';

const event = {
  id: 'AE1', company_id: 'CO1', property_id: 'PR1', type_of: 'rule.created', entity_type: 'rules', entity_id: 'RL1', entity: '{}',
  display_name: 'Rule', created_at: new Date(0), updated_at: new Date(0),
} as AuditEventRow;
const job = { id: 'AE1-CB1', data: { callbackId: 'CB1', auditEventId: 'AE1' }, attemptsMade: 0, opts: {} } as Job<DeliverCallbackJob>;

function setup(url = 'https://hooks.test/in', allowHttp = false) {
  const config = { callbacks: { allowHttp, timeoutMs: 5000 } } as ReactorApiConfig;
  const logger = { info: jest.fn(), warn: jest.fn() } as unknown as Logger;
  const { sut, mocks } = newTestService(CallbackDeliveryWorker, { 2: config, 3: new Links('https://reactor.test'), 4: logger });
  mocks.get(CallbacksRepository).findTarget.mockResolvedValue({ id: 'CB1', url });
  mocks.get(AuditRepository).findById.mockResolvedValue(event);
  return { sut, callbacks: mocks.get(CallbacksRepository), events: mocks.get(AuditRepository), post: mocks.get(CallbackSender).post };
}

describe('CallbackDeliveryWorker', () => {
  it("POSTs the audit event's JSON:API document to the callback's URL", async () => {
    const { sut, post } = setup();
    post.mockResolvedValue({ status: 204, reason: null });
    await expect(sut.process(job)).resolves.toBe('delivered');
    const [url, body, timeout] = post.mock.calls[0] ?? [];
    expect([url, timeout]).toEqual(['https://hooks.test/in', 5000]);
    expect(JSON.parse(body ?? '')).toMatchObject({ data: { id: 'AE1', type: 'audit_events', attributes: { type_of: 'rule.created' } } });
  });

  it('drops the delivery of a deleted callback or a vanished event without posting', async () => {
    const gone = setup();
    gone.callbacks.findTarget.mockResolvedValue(undefined);
    await expect(gone.sut.process(job)).resolves.toBe('dropped');
    const noEvent = setup();
    noEvent.events.findById.mockResolvedValue(undefined);
    await expect(noEvent.sut.process(job)).resolves.toBe('dropped');
    expect(gone.post).not.toHaveBeenCalled();
    expect(noEvent.post).not.toHaveBeenCalled();
  });

  it('stops retrying a callback whose URL this server no longer allows', async () => {
    const { sut, post } = setup('http://hooks.test/in', false);
    await expect(sut.process(job)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(post).not.toHaveBeenCalled();
  });

  it('throws on a failed POST so BullMQ retries it on schedule', async () => {
    const { sut, post } = setup('http://hooks.test/in', true);
    post.mockResolvedValue({ status: 500, reason: 'answered 500' });
    await expect(sut.process(job)).rejects.toThrow('callback CB1 delivery failed: answered 500');
  });
});
