import { JobName, QueueName, jobIdOf, type JobItem } from '@openexp/queue-contracts';
import { redisOptionsFromUrl } from '@openexp/service-runtime';
import { Queue, QueueEvents, type Job } from 'bullmq';
import type { TestApi } from './harness';

/**
 * Plays the build worker's side of the queue contract over real Redis: reads the jobs reactor-api
 * enqueued and posts results onto the results queue, as build-worker does. Connects on first use,
 * so a test file can create it beside its `TestApi`, before the API has started.
 */
export class WorkerDouble {
  private readonly connection = redisOptionsFromUrl(process.env['TEST_REDIS_URL'] ?? '');
  private readonly queues = new Map<QueueName, Queue>();
  private resultEvents: QueueEvents | undefined;

  constructor(private readonly api: TestApi) {}

  private get events(): QueueEvents {
    this.resultEvents ??= new QueueEvents(QueueName.Results, { connection: this.connection, prefix: this.api.queuePrefix });
    return this.resultEvents;
  }

  queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (q === undefined) {
      q = new Queue(name, { connection: this.connection, prefix: this.api.queuePrefix });
      this.queues.set(name, q);
    }
    return q;
  }

  async job(name: QueueName, id: string): Promise<Job | undefined> {
    return this.queue(name).getJob(id);
  }

  /** Posts a result and waits until reactor-api's consumer has processed it; returns its outcome. */
  async post(item: JobItem, suffix = ''): Promise<string> {
    await this.events.waitUntilReady();
    const job = await this.queue(QueueName.Results).add(item.name, item.data, { jobId: `${jobIdOf(item)}${suffix}` });
    return (await job.waitUntilFinished(this.events, 30000)) as string;
  }

  buildSucceeded(buildId: string, libraryId: string, environmentId: string): JobItem {
    return { name: JobName.BuildResult, data: { buildId, libraryId, environmentId, status: 'succeeded', failures: [], files: [], attempt: 1, finishedAt: new Date().toISOString() } };
  }

  async close(): Promise<void> {
    await this.resultEvents?.close();
    for (const q of this.queues.values()) {
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close();
    }
  }
}
