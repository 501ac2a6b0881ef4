import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { REACTOR_API_CONFIG, type ReactorApiConfig } from '../config/reactor-api.config';
import { InternalJobName, InternalQueueName } from '../queues/internal-queues';
import { exchangeJobOptions, type ExchangeSecretJob } from './secret-exchange.job';
import { EXCHANGED_TYPES } from './secrets.dto';
import { SecretsRepository } from './secrets.repository';

/** Due refreshes queued per pass at most; the next pass takes the rest. */
const BATCH = 200;

/**
 * Queues the refresh of every succeeded OAuth2 secret whose `refresh_at` has come, every
 * `SECRETS_REFRESH_SWEEP_MS`. The schedule lives in the database, not in delayed Redis jobs, so a
 * lost or flushed Redis loses no refresh. The job id names the secret, its revision and the due time:
 * replicas sweeping together, or a pass finding a refresh still queued, add nothing twice. While
 * Redis is down nothing is queued (one warning per outage) and the refreshes wait for the next pass.
 */
@Injectable()
export class SecretRefreshScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private interval: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private failing = false;
  private stopped = false;

  constructor(
    private readonly secrets: SecretsRepository,
    @Inject(REACTOR_API_CONFIG) private readonly config: ReactorApiConfig,
    @InjectQueue(InternalQueueName.SecretExchanges) private readonly queue: Queue<ExchangeSecretJob>,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.interval = setInterval(() => void this.sweep(), this.config.secrets.refreshSweepMs);
    this.interval.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.interval);
    await this.running;
  }

  /** One pass (never two at once): queues the refreshes due now; resolves to how many it queued. */
  sweep(): Promise<number> {
    if (this.running === undefined && !this.stopped) {
      this.running = this.queueDue().finally(() => {
        this.running = undefined;
      });
    }
    return this.running ?? Promise.resolve(0);
  }

  private async queueDue(): Promise<number> {
    try {
      const due = await this.secrets.dueRefreshes(EXCHANGED_TYPES, new Date(), BATCH);
      const jobs = due.flatMap((row) => {
        if (row.refresh_at === null) {
          return [];
        }
        const data: ExchangeSecretJob = { secretId: row.id, revision: row.revision, refreshAt: row.refresh_at.getTime() };
        return [{ name: InternalJobName.ExchangeSecret, data, opts: exchangeJobOptions(data) }];
      });
      if (jobs.length > 0) {
        await this.queue.addBulk(jobs);
      }
      if (this.failing) {
        this.failing = false;
        this.logger.info('secret refreshes are being queued again');
      }
      return jobs.length;
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.logger.warn({ err: error }, 'could not queue due secret refreshes; the next pass tries again');
      }
      return 0;
    }
  }
}
