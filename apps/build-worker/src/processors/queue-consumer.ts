import type { QueueName } from '@openexp/queue-contracts';
import type { WorkerJobHandler } from './job-handler';

/** The handlers of one queue: WorkerRunner checks the list at boot and dispatches jobs by name from it. */
export interface QueueConsumer {
  readonly queue: QueueName;
  readonly handlers: readonly WorkerJobHandler[];
}
