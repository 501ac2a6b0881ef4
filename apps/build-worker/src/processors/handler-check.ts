import { jobNamesOf } from '@openexp/queue-contracts';
import type { QueueConsumer } from './queue-consumer';

/**
 * Problems that must stop the worker from starting: a job name of a consumed queue without a
 * handler or with several, or a handler for a job that belongs to another queue.
 */
export function handlerProblems(consumers: readonly Pick<QueueConsumer, 'queue' | 'handlers'>[]): string[] {
  const problems: string[] = [];
  for (const consumer of consumers) {
    const expected = jobNamesOf(consumer.queue);
    for (const name of expected) {
      const count = consumer.handlers.filter((h) => h.jobName === name).length;
      if (count !== 1) {
        problems.push(`queue "${consumer.queue}": job "${name}" has ${count} handlers (exactly 1 needed)`);
      }
    }
    for (const handler of consumer.handlers) {
      if (!expected.includes(handler.jobName)) {
        problems.push(`queue "${consumer.queue}": handler for "${handler.jobName}", which is not a job of this queue`);
      }
    }
  }
  return problems;
}
