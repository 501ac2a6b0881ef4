import { Processor, WorkerHost } from '@nestjs/bullmq';
import { JobName, type PretestHostJob, QueueName } from '@openexp/queue-contracts';
import { type Job, UnrecoverableError } from 'bullmq';
import { PretestHostHandler } from './pretest-host.handler';
import type { QueueConsumer } from './queue-consumer';

/** Consumer of the `host-pretests` queue. Started by WorkerRunner after the boot check. */
@Processor(QueueName.HostPretests, { autorun: false })
export class HostPretestsProcessor extends WorkerHost implements QueueConsumer {
  readonly queue = QueueName.HostPretests;

  constructor(private readonly pretestHost: PretestHostHandler) {
    super();
  }

  get handlers() {
    return [this.pretestHost];
  }

  async process(job: Job): Promise<void> {
    switch (job.name) {
      case JobName.PretestHost:
        return this.pretestHost.handle(job as Job<PretestHostJob>);
      default:
        throw new UnrecoverableError(`The ${this.queue} queue has no handler for job "${job.name}".`);
    }
  }
}
