import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { toStatusDetails, type DeferrableReactorErrorCode } from '@openexp/errors';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Job, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { REACTOR_API_CONFIG, type ReactorApiConfig } from '../config/reactor-api.config';
import type { SecretRow } from '../database/schema';
import { InternalQueueName, startInternalWorker } from '../queues/internal-queues';
import { EXCHANGE_ATTEMPTS, EXCHANGE_TIMEOUT_MS, REFRESH_RETRY_MS, type ExchangeSecretJob } from './secret-exchange.job';
import { SecretCipher } from './secret-cipher';
import { DEFAULT_REFRESH_OFFSET, type SecretCredentials } from './secrets.dto';
import { SecretsRepository } from './secrets.repository';
import { ExchangeError, TokenExchange } from './token-exchange';

export type ExchangeOutcome = 'succeeded' | 'failed' | 'dropped';

/** When a new token expires and when to refresh it, or why the credentials' refresh_offset cannot work. */
type TokenTimes = { now: Date; expiresIn: number | null; expiresAt: Date | null; refreshAt: Date | null } | { problem: string };

function tokenTimes(secret: SecretCredentials, result: { expiresIn: number | null }, nowMs: number): TokenTimes {
  const chosen = 'refresh_offset' in secret.credentials ? secret.credentials.refresh_offset : undefined;
  // The default (4 h) would not fit a shorter-lived token (Google's last 1 h): then refresh
  // halfway. Only an offset the user chose can make the exchange fail.
  const offset = chosen ?? (result.expiresIn === null ? DEFAULT_REFRESH_OFFSET : Math.min(DEFAULT_REFRESH_OFFSET, Math.floor(result.expiresIn / 2)));
  if (result.expiresIn !== null && offset >= result.expiresIn) {
    return { problem: `The token expires in ${result.expiresIn} s, not after the refresh_offset of ${offset} s; lower refresh_offset.` };
  }
  const expiresAt = result.expiresIn === null ? null : new Date(nowMs + result.expiresIn * 1000);
  return { now: new Date(nowMs), expiresIn: result.expiresIn, expiresAt, refreshAt: expiresAt === null ? null : new Date(expiresAt.getTime() - offset * 1000) };
}

/**
 * Consumes `secret-exchanges` inside reactor-api: decrypts a pending secret's credentials, asks the
 * token endpoint for an access token and records the outcome on the secret — `succeeded` with
 * `activated_at`, `expires_at` (now + expires_in) and `refresh_at` (expires_at − refresh_offset),
 * or `failed` with `meta.status_details`. Transient failures (refused, timeout, 5xx, 429) are
 * retried and keep the secret `pending` until the last attempt. Only the revision the job was made
 * for changes: a newer edit or retry supersedes older jobs. Scheduled refreshes (see {@link refresh})
 * run on the same queue. The access token itself is not stored: no edge runtime of this server
 * consumes it (see README); a refresh proves the credentials still work and keeps the times current.
 */
@Injectable()
export class SecretExchangeWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private instance: Worker<ExchangeSecretJob, ExchangeOutcome> | undefined;

  constructor(
    private readonly secrets: SecretsRepository,
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

  process(job: Job<ExchangeSecretJob>): Promise<ExchangeOutcome> {
    return job.data.refreshAt === undefined ? this.exchange(job) : this.refresh(job, job.data.refreshAt);
  }

  /** The first exchange of a revision (created, new credentials, `retry`): `pending` → `succeeded` or `failed`. */
  private async exchange(job: Job<ExchangeSecretJob>): Promise<ExchangeOutcome> {
    const { secretId, revision } = job.data;
    const log = { job_id: job.id, secret_id: secretId, revision, attempt: job.attemptsMade + 1 };
    const row = await this.secrets.findById(secretId);
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
      const times = tokenTimes(secret, await this.exchanger.exchange(secret, EXCHANGE_TIMEOUT_MS), Date.now());
      if ('problem' in times) {
        return this.fail(row, 'unknown-error', times.problem);
      }
      await this.secrets.exchanged(row, times);
      this.logger.info({ ...log, expires_in: times.expiresIn }, 'secret exchanged');
      return 'succeeded';
    } catch (error) {
      const failure = this.failureOf(error, job, log);
      if (failure === undefined) {
        throw error; // BullMQ runs the job again after its backoff
      }
      return this.fail(row, failure.code, failure.detail);
    }
  }

  /**
   * A scheduled refresh (queued by SecretRefreshScheduler when `refresh_at` has come): a new token
   * moves `expires_at` and `refresh_at` on and clears `meta.refresh_status_details`. A failed one
   * sets `meta.refresh_status_details` and tries again {@link REFRESH_RETRY_MS} later, never after
   * the token expires; a refresh that fails once the token has expired fails the secret (its
   * `status_details` say why), and `retry` or new credentials start over.
   */
  private async refresh(job: Job<ExchangeSecretJob>, due: number): Promise<ExchangeOutcome> {
    const { secretId, revision } = job.data;
    const log = { job_id: job.id, secret_id: secretId, revision, attempt: job.attemptsMade + 1, refresh_at: new Date(due).toISOString() };
    const row = await this.secrets.findById(secretId);
    if (row === undefined || row.revision !== revision || row.status !== 'succeeded' || row.refresh_at?.getTime() !== due) {
      this.logger.info(log, 'secret refresh dropped: the secret is gone, was changed or was refreshed since');
      return 'dropped';
    }
    let secret: SecretCredentials;
    try {
      secret = await this.cipher.decrypt(row.credentials_encrypted);
    } catch {
      return this.refreshFailed(row, due, 'decrypt-failed', 'The stored credentials could not be decrypted with the server key; set them again.');
    }
    try {
      const times = tokenTimes(secret, await this.exchanger.exchange(secret, EXCHANGE_TIMEOUT_MS), Date.now());
      if ('problem' in times) {
        return this.refreshFailed(row, due, 'unknown-error', times.problem);
      }
      await this.secrets.refreshed(row, new Date(due), times);
      this.logger.info({ ...log, expires_in: times.expiresIn }, 'secret refreshed');
      return 'succeeded';
    } catch (error) {
      const failure = this.failureOf(error, job, log);
      if (failure === undefined) {
        throw error; // BullMQ runs the job again after its backoff
      }
      return this.refreshFailed(row, due, failure.code, failure.detail);
    }
  }

  /** The failure to record, or undefined when the job should be retried (transient, attempts left). */
  private failureOf(error: unknown, job: Job<ExchangeSecretJob>, log: Record<string, unknown>): ExchangeError | undefined {
    const failure = error instanceof ExchangeError ? error : new ExchangeError('internal-error', 'The exchange failed unexpectedly; retry the secret.', false);
    if (failure.transient && job.attemptsMade + 1 < (job.opts.attempts ?? EXCHANGE_ATTEMPTS)) {
      this.logger.info({ ...log, code: failure.code }, 'secret exchange failed; retrying');
      return undefined;
    }
    if (!(error instanceof ExchangeError)) {
      this.logger.error({ ...log, err: error }, 'secret exchange crashed');
    }
    return failure;
  }

  private async refreshFailed(row: SecretRow, due: number, code: DeferrableReactorErrorCode, detail: string): Promise<ExchangeOutcome> {
    const now = Date.now();
    const details = toStatusDetails([{ code, detail }], { meta: { secret_id: row.id, step: 'refresh' } });
    const expires = row.expires_at?.getTime() ?? null;
    const expired = expires !== null && now >= expires;
    const next = expires === null ? now + REFRESH_RETRY_MS : Math.min(expires, now + REFRESH_RETRY_MS);
    await this.secrets.refreshFailed(row, new Date(due), details, expired ? null : new Date(next), new Date(now));
    this.logger.warn({ secret_id: row.id, revision: row.revision, code, expired }, expired ? 'secret refresh failed after the token expired: the secret failed' : 'secret refresh failed; trying again later');
    return 'failed';
  }

  private async fail(row: SecretRow, code: DeferrableReactorErrorCode, detail: string): Promise<ExchangeOutcome> {
    const details = toStatusDetails([{ code, detail }], { meta: { secret_id: row.id, step: 'exchange' } });
    await this.secrets.exchangeFailed(row, details);
    this.logger.warn({ secret_id: row.id, revision: row.revision, code }, 'secret exchange failed');
    return 'failed';
  }
}
