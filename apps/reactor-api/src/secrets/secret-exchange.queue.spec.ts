import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { SecretRow } from '../database/schema';
import { newTestService } from '../test/new-test-service';
import type { ExchangeSecretJob } from './secret-exchange.job';
import { SecretExchangeQueue } from './secret-exchange.queue';
import { SecretsRepository } from './secrets.repository';

const row = { id: 'SE1', revision: 4, status: 'pending' } as SecretRow;

function setup() {
  const queue = { add: jest.fn((_name: string, _data: ExchangeSecretJob, _opts: { jobId?: string }) => Promise.resolve({})) };
  const logger = { error: jest.fn() } as unknown as Logger;
  const { sut, mocks } = newTestService(SecretExchangeQueue, { 0: queue as unknown as Queue<ExchangeSecretJob>, 1: logger });
  mocks.get(SecretsRepository).markFailed.mockResolvedValue(undefined);
  return { sut, queue, secrets: mocks.get(SecretsRepository) };
}

describe('SecretExchangeQueue', () => {
  it('queues the exchange of the current revision, its job id naming secret and revision', async () => {
    const { sut, queue } = setup();
    await expect(sut.enqueue(row)).resolves.toBe(row);
    expect(queue.add).toHaveBeenCalledWith('exchange-secret', { secretId: 'SE1', revision: 4 }, expect.objectContaining({ jobId: 'SE1-r4' }));
  });

  it('marks that revision failed and answers 503 when Redis refuses the job', async () => {
    const { sut, queue, secrets } = setup();
    queue.add.mockRejectedValue(new Error('Connection is closed.'));
    await expect(sut.enqueue(row)).rejects.toMatchObject({ code: 'service-unavailable' });
    const [revision, details] = secrets.markFailed.mock.calls[0] ?? [];
    expect(revision).toBe(row);
    expect(details?.errors[0]).toMatchObject({ code: 'internal-error', meta: { secret_id: 'SE1' } });
  });
});
