import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { newTestService } from '../test/new-test-service';
import { CallbackDeliveriesRepository, type PendingDelivery } from './callback-deliveries.repository';
import { CallbackDispatcher } from './callback-dispatcher';
import type { DeliverCallbackJob } from './callback-schedule';

function rows(n: number, from = 0): PendingDelivery[] {
  return Array.from({ length: n }, (_, i) => ({ id: `AE${from + i}-CB1`, callback_id: 'CB1', audit_event_id: `AE${from + i}` }));
}

function setup(batches: PendingDelivery[][]) {
  const queue = { addBulk: jest.fn((_jobs: unknown[]) => Promise.resolve([])) };
  const logger = { info: jest.fn(), warn: jest.fn() };
  const { sut, mocks } = newTestService(CallbackDispatcher, { 1: queue as unknown as Queue<DeliverCallbackJob>, 2: logger as unknown as Logger });
  const deliveries = mocks.get(CallbackDeliveriesRepository);
  const pending = [...batches];
  deliveries.oldest.mockImplementation(() => Promise.resolve(pending.shift() ?? []));
  deliveries.deleteByIds.mockResolvedValue(undefined);
  return { sut, queue, logger, deliveries };
}

describe('CallbackDispatcher', () => {
  it('queues the outbox rows as delivery jobs named by their row, then deletes them, batch after full batch', async () => {
    const { sut, queue, deliveries } = setup([rows(100), rows(3, 100)]);
    await sut.tick();
    expect(deliveries.oldest).toHaveBeenCalledTimes(2);
    expect(deliveries.oldest).toHaveBeenCalledWith(100);
    expect(queue.addBulk).toHaveBeenCalledTimes(2);
    const firstJob = (queue.addBulk.mock.calls[0]?.[0] as Array<{ name: string; data: unknown; opts: { jobId: string } }>)[0];
    expect(firstJob).toMatchObject({ name: 'deliver-callback', data: { callbackId: 'CB1', auditEventId: 'AE0' }, opts: { jobId: 'AE0-CB1' } });
    expect(deliveries.deleteByIds.mock.calls.map(([ids]) => ids.length)).toEqual([100, 3]);
  });

  it('keeps the rows when the queue refuses them, and warns once per outage', async () => {
    const { sut, queue, logger, deliveries } = setup([rows(2), rows(2), rows(2)]);
    queue.addBulk.mockRejectedValue(new Error('redis down'));
    await sut.tick();
    await sut.tick();
    expect(deliveries.deleteByIds).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    queue.addBulk.mockResolvedValue([]);
    await sut.tick();
    expect(deliveries.deleteByIds).toHaveBeenCalledWith(['AE0-CB1', 'AE1-CB1']);
    expect(logger.info).toHaveBeenCalledWith('callback deliveries are being queued again');
  });

  it('does nothing once shut down', async () => {
    const { sut, deliveries } = setup([rows(1)]);
    await sut.onApplicationShutdown();
    await sut.tick();
    expect(deliveries.oldest).not.toHaveBeenCalled();
  });
});
