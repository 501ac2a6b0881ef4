import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { ReactorApiConfig } from '../config/reactor-api.config';
import { newTestService } from '../test/new-test-service';
import type { ExchangeSecretJob } from './secret-exchange.job';
import { SecretRefreshScheduler } from './secret-refresh.scheduler';
import { EXCHANGED_TYPES } from './secrets.dto';
import { SecretsRepository } from './secrets.repository';

function setup() {
  const queue = { addBulk: jest.fn((_jobs: Array<{ name: string; data: ExchangeSecretJob; opts: { jobId?: string } }>) => Promise.resolve([])) };
  const logger = { info: jest.fn(), warn: jest.fn() };
  const { sut, mocks } = newTestService(SecretRefreshScheduler, { 1: {} as ReactorApiConfig, 2: queue as unknown as Queue<ExchangeSecretJob>, 3: logger as unknown as Logger });
  return { sut, queue, logger, secrets: mocks.get(SecretsRepository) };
}

describe('SecretRefreshScheduler', () => {
  it('queues one refresh per due OAuth2 secret, its job id naming secret, revision and due time', async () => {
    const { sut, queue, secrets } = setup();
    const due = new Date(Date.UTC(2026, 0, 1));
    secrets.dueRefreshes.mockResolvedValue([
      { id: 'SE1', revision: 2, refresh_at: due },
      { id: 'SE2', revision: 1, refresh_at: null },
    ]);
    await expect(sut.sweep()).resolves.toBe(1);
    expect(secrets.dueRefreshes).toHaveBeenCalledWith(EXCHANGED_TYPES, expect.any(Date), 200);
    expect(queue.addBulk.mock.calls[0]?.[0]).toEqual([
      { name: 'exchange-secret', data: { secretId: 'SE1', revision: 2, refreshAt: due.getTime() }, opts: expect.objectContaining({ jobId: `SE1-r2-refresh-${due.getTime()}` }) },
    ]);
  });

  it('queues nothing while Redis is down, warns once, and says when it queues again', async () => {
    const { sut, queue, logger, secrets } = setup();
    secrets.dueRefreshes.mockResolvedValue([{ id: 'SE1', revision: 2, refresh_at: new Date(0) }]);
    queue.addBulk.mockRejectedValue(new Error('Connection is closed.'));
    await expect(sut.sweep()).resolves.toBe(0);
    await expect(sut.sweep()).resolves.toBe(0);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    queue.addBulk.mockResolvedValue([]);
    await expect(sut.sweep()).resolves.toBe(1);
    expect(logger.info).toHaveBeenCalledWith('secret refreshes are being queued again');
  });
});
