import { Processor, WorkerHost } from '@nestjs/bullmq';
import { JobName, type ProcessExtensionPackageJob, QueueName } from '@openexp/queue-contracts';
import { type Job, UnrecoverableError } from 'bullmq';
import { ProcessExtensionPackageHandler } from './process-extension-package.handler';
import type { QueueConsumer } from './queue-consumer';

/** Consumer of the `extension-packages` queue. Started by WorkerRunner after the boot check. */
@Processor(QueueName.ExtensionPackages, { autorun: false })
export class ExtensionPackagesProcessor extends WorkerHost implements QueueConsumer {
  readonly queue = QueueName.ExtensionPackages;

  constructor(private readonly processPackage: ProcessExtensionPackageHandler) {
    super();
  }

  get handlers() {
    return [this.processPackage];
  }

  async process(job: Job): Promise<void> {
    switch (job.name) {
      case JobName.ProcessExtensionPackage:
        return this.processPackage.handle(job as Job<ProcessExtensionPackageJob>);
      default:
        throw new UnrecoverableError(`The ${this.queue} queue has no handler for job "${job.name}".`);
    }
  }
}
