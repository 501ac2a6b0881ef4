import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import type { Logger } from 'pino';
import { presentAuditEvent } from '../audit/audit.presenter';
import { AuditRepository } from '../audit/audit.repository';
import { REACTOR_API_CONFIG, type ReactorApiConfig } from '../config/reactor-api.config';
import { LINKS } from '../jsonapi/links.provider';
import { single, type Links } from '../jsonapi/document';
import { InternalQueueName, startInternalWorker } from '../queues/internal-queues';
import { callbackBackoff, type DeliverCallbackJob } from './callback-schedule';
import { CallbackSender, isSuccess } from './callback-sender';
import { CallbacksRepository } from './callbacks.repository';
import { outboundUrlProblem } from '../common/outbound-url';

export type DeliveryResult = 'delivered' | 'dropped';

/** Deliveries in flight per replica. */
const CONCURRENCY = 8;

/**
 * Consumes the `callbacks` queue inside reactor-api: POSTs the audit event document to the
 * callback's URL. A failed POST throws, and BullMQ retries on the §2.11 schedule (custom backoff);
 * after the last attempt the delivery is dropped with a log line. A callback deleted (or whose URL
 * is no longer allowed) meanwhile is dropped at once.
 */
@Injectable()
export class CallbackDeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private instance: Worker<DeliverCallbackJob, DeliveryResult> | undefined;

  constructor(
    private readonly callbacks: CallbacksRepository,
    private readonly auditEvents: AuditRepository,
    @Inject(REACTOR_API_CONFIG) private readonly config: ReactorApiConfig,
    @Inject(LINKS) private readonly links: Links,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly sender: CallbackSender,
  ) {}

  /** The BullMQ worker (QueueShutdown force-closes it when Redis is down at shutdown). */
  get worker(): Worker<DeliverCallbackJob, DeliveryResult> | undefined {
    return this.instance;
  }

  onApplicationBootstrap(): void {
    const worker = startInternalWorker<DeliverCallbackJob, DeliveryResult>(InternalQueueName.Callbacks, (job) => this.process(job), this.config, this.logger, {
      concurrency: CONCURRENCY,
      settings: { backoffStrategy: callbackBackoff },
    });
    worker.on('failed', (job, error) => {
      if (job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        this.logger.warn({ job_id: job.id, callback_id: job.data.callbackId, audit_event_id: job.data.auditEventId, attempts: job.attemptsMade, reason: error.message }, 'callback delivery dropped after its last attempt');
      }
    });
    this.instance = worker;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.instance?.close();
  }

  async process(job: Job<DeliverCallbackJob>): Promise<DeliveryResult> {
    const { callbackId, auditEventId } = job.data;
    const log = { job_id: job.id, callback_id: callbackId, audit_event_id: auditEventId, attempt: job.attemptsMade + 1 };
    const callback = await this.callbacks.findTarget(callbackId);
    const event = await this.auditEvents.findById(auditEventId);
    if (callback === undefined || event === undefined) {
      this.logger.warn(log, callback === undefined ? 'callback delivery dropped: the callback was deleted' : 'callback delivery dropped: the audit event is gone');
      return 'dropped';
    }
    const urlProblem = outboundUrlProblem(callback.url, this.config.callbacks.allowHttp);
    if (urlProblem !== null) {
      // Not retried: the 'failed' handler logs exhausted attempts only, so say it here.
      this.logger.warn({ ...log, reason: urlProblem }, "callback delivery dropped: its URL is not allowed by this server's configuration");
      throw new UnrecoverableError(`callback ${callbackId}: its URL is not allowed by this server's configuration`);
    }
    const outcome = await this.sender.post(callback.url, JSON.stringify(single(presentAuditEvent(event, this.links))), this.config.callbacks.timeoutMs);
    if (!isSuccess(outcome.status)) {
      this.logger.info({ ...log, status: outcome.status, reason: outcome.reason }, 'callback delivery failed; BullMQ retries it on schedule');
      throw new Error(`callback ${callbackId} delivery failed: ${outcome.reason ?? 'unknown'}`);
    }
    this.logger.info({ ...log, status: outcome.status }, 'callback delivered');
    return 'delivered';
  }
}
