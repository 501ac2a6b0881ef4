import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { toStatusDetails, type DeferrableReactorErrorCode } from '@openexp/errors';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Job, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { REACTOR_API_CONFIG, type ReactorApiConfig } from '../config/reactor-api.config';
import { DB, type Db } from '../database/database';
import type { SecretRow } from '../database/schema';
import { InternalQueueName, startInternalWorker } from '../queues/internal-queues';
import { EXCHANGE_ATTEMPTS, EXCHANGE_TIMEOUT_MS, type ExchangeSecretJob } from './secret-exchange.job';
import { SecretCipher } from './secret-cipher';
import { DEFAULT_REFRESH_OFFSET, type SecretCredentials } from './secrets.dto';
import { ExchangeError, TokenExchange } from './token-exchange';

export type ExchangeOutcome = 'succeeded' | 'failed' | 'dropped';

/**
 * Consumes `secret-exchanges` inside reactor-api: decrypts a pending secret's credentials, asks the
 * token endpoint for an access token and records the outcome on the secret — `succeeded` with
 * `activated_at`, `expires_at` (now + expires_in) and `refresh_at` (expires_at − refresh_offset),
 * or `failed` with `meta.status_details`. Transient failures (refused, timeout, 5xx, 429) are
 * retried and keep the secret `pending` until the last attempt. Only the revision the job was made
 * for changes: a newer edit or retry supersedes older jobs. The access token itself is not stored:
 * no edge runtime of this server consumes it (see README).
 */
@Injectable()
export class SecretExchangeWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private instance: Worker<ExchangeSecretJob, ExchangeOutcome> | undefined;

  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(REACTOR_API_CONFIG) private readonly config: ReactorApiConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly cipher: SecretCipher,
    private readonly exchanger: TokenExchange,
  ) {}

  get worker(): Worker<ExchangeSecretJob, ExchangeOutcome> | undefined {
    return this.instance;
  }

  onApplicationBootstrap(): void {
    this.instance = startInternalWorker<ExchangeSecretJob, ExchangeOutcome>(InternalQueueName.SecretExchanges, (job) => this.process(job), this.config, this.logger, {
      concurrency: 4,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.instance?.close();
  }

  async process(job: Job<ExchangeSecretJob>): Promise<ExchangeOutcome> {
    const { secretId, revision } = job.data;
    const log = { job_id: job.id, secret_id: secretId, revision, attempt: job.attemptsMade + 1 };
    const row = await this.db.selectFrom('secrets').selectAll().where('id', '=', secretId).executeTakeFirst();
    if (row === undefined || row.revision !== revision || row.status !== 'pending') {
      this.logger.info(log, 'secret exchange dropped: the secret is gone or was changed since');
      return 'dropped';
    }
    let secret: SecretCredentials;
    try {
      secret = await this.cipher.decrypt(row.credentials_encrypted);
    } catch {
      return this.fail(row, 'decrypt-failed', 'The stored credentials could not be decrypted with the server key; set them again.');
    }
    try {
      const result = await this.exchanger.exchange(secret, EXCHANGE_TIMEOUT_MS);
      const chosen = 'refresh_offset' in secret.credentials ? secret.credentials.refresh_offset : undefined;
      // The default (4 h) would not fit a shorter-lived token (Google's last 1 h): then refresh
      // halfway. Only an offset the user chose can make the exchange fail.
      const offset = chosen ?? (result.expiresIn === null ? DEFAULT_REFRESH_OFFSET : Math.min(DEFAULT_REFRESH_OFFSET, Math.floor(result.expiresIn / 2)));
      if (result.expiresIn !== null && offset >= result.expiresIn) {
        return this.fail(row, 'unknown-error', `The token expires in ${result.expiresIn} s, not after the refresh_offset of ${offset} s; lower refresh_offset.`);
      }
      const now = Date.now();
      const expiresAt = result.expiresIn === null ? null : new Date(now + result.expiresIn * 1000);
      await this.db
        .updateTable('secrets')
        .set({ status: 'succeeded', status_details: null, activated_at: new Date(now), expires_at: expiresAt, refresh_at: expiresAt === null ? null : new Date(expiresAt.getTime() - offset * 1000), updated_at: new Date(now) })
        .where('id', '=', row.id)
        .where('revision', '=', row.revision)
        .where('status', '=', 'pending')
        .execute();
      this.logger.info({ ...log, expires_in: result.expiresIn }, 'secret exchanged');
      return 'succeeded';
    } catch (error) {
      const failure = error instanceof ExchangeError ? error : new ExchangeError('internal-error', 'The exchange failed unexpectedly; retry the secret.', false);
      if (failure.transient && job.attemptsMade + 1 < (job.opts.attempts ?? EXCHANGE_ATTEMPTS)) {
        this.logger.info({ ...log, code: failure.code }, 'secret exchange failed; retrying');
        throw failure;
      }
      if (!(error instanceof ExchangeError)) {
        this.logger.error({ ...log, err: error }, 'secret exchange crashed');
      }
      return this.fail(row, failure.code, failure.detail);
    }
  }

  private async fail(row: SecretRow, code: DeferrableReactorErrorCode, detail: string): Promise<ExchangeOutcome> {
    const details = toStatusDetails([{ code, detail }], { meta: { secret_id: row.id, step: 'exchange' } });
    await this.db
      .updateTable('secrets')
      .set({ status: 'failed', status_details: JSON.stringify(details), updated_at: new Date() })
      .where('id', '=', row.id)
      .where('revision', '=', row.revision)
      .where('status', '=', 'pending')
      .execute();
    this.logger.warn({ secret_id: row.id, revision: row.revision, code }, 'secret exchange failed');
    return 'failed';
  }
}
