import type { JobsOptions, Queue } from 'bullmq';
import { JOB_QUEUE, jobIdOf, type JobItem } from './jobs';
import type { QueueName } from './names';
import { DEFAULT_JOB_OPTIONS } from './options';

/**
 * The one typed way to enqueue work: the job name picks the payload type and the queue, the id is
 * deterministic, and the queue's default options apply.
 */
export class JobProducer {
  constructor(private readonly queueFor: (name: QueueName) => Queue) {}

  async enqueue(item: JobItem, options: Pick<JobsOptions, 'delay' | 'priority'> = {}): Promise<string> {
    const queueName = JOB_QUEUE[item.name];
    const jobId = jobIdOf(item);
    await this.queueFor(queueName).add(item.name, item.data, { ...DEFAULT_JOB_OPTIONS[queueName], ...options, jobId });
    return jobId;
  }
}
