import type { QueueName } from '@openexp/queue-contracts';
import type { Worker } from 'bullmq';
import type { JobHandler } from './job-handler';

/** A WorkerHost of one queue, as the boot check and the runner see it. */
export interface QueueConsumer {
  readonly queue: QueueName;
  readonly handlers: readonly JobHandler[];
  readonly worker: Worker;
}
