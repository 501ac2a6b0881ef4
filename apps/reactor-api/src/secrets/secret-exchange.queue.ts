import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { ReactorError, toStatusDetails } from '@openexp/errors';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { SecretRow } from '../database/schema';
import { InternalJobName, InternalQueueName } from '../queues/internal-queues';
import { exchangeJobOptions, type ExchangeSecretJob } from './secret-exchange.job';
import { SecretsRepository } from './secrets.repository';

/** Queues the exchange of a secret's current revision on reactor-api's own `secret-exchanges` queue. */
@Injectable()
export class SecretExchangeQueue {
  constructor(
    @InjectQueue(InternalQueueName.SecretExchanges) private readonly queue: Queue<ExchangeSecretJob>,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly secrets: SecretsRepository,
  ) {}

  /** The row is committed `pending` first; if Redis refuses the job, it is marked failed and the caller gets 503. */
  async enqueue(row: SecretRow): Promise<SecretRow> {
    const job = { secretId: row.id, revision: row.revision };
    try {
      await this.queue.add(InternalJobName.ExchangeSecret, job, exchangeJobOptions(job));
      return row;
    } catch (error) {
      this.logger.error({ err: error, secret_id: row.id }, 'could not enqueue a secret exchange');
      const details = toStatusDetails([{ code: 'internal-error', detail: 'The work queue was unavailable when this was submitted; retry the secret.' }], { meta: { secret_id: row.id } });
      await this.secrets.markFailed(row, details);
      throw new ReactorError('service-unavailable', 'The work queue is unavailable right now; try again shortly.', { cause: error });
    }
  }
}
