import { Processor, WorkerHost } from '@nestjs/bullmq';
import { type BuildLibraryJob, JobName, QueueName, type RepublishBuildJob } from '@openexp/queue-contracts';
import { type Job, UnrecoverableError } from 'bullmq';
import { BuildLibraryHandler } from './build-library.handler';
import type { QueueConsumer } from './queue-consumer';
import { RepublishBuildHandler } from './republish-build.handler';

/** Consumer of the `builds` queue. Started by WorkerRunner after the boot check. */
@Processor(QueueName.Builds, { autorun: false })
export class BuildsProcessor extends WorkerHost implements QueueConsumer {
  readonly queue = QueueName.Builds;

  constructor(
    private readonly buildLibrary: BuildLibraryHandler,
    private readonly republishBuild: RepublishBuildHandler,
  ) {
    super();
  }

  get handlers() {
    return [this.buildLibrary, this.republishBuild];
  }

  async process(job: Job): Promise<void> {
    switch (job.name) {
      case JobName.BuildLibrary:
        return this.buildLibrary.handle(job as Job<BuildLibraryJob>);
      case JobName.RepublishBuild:
        return this.republishBuild.handle(job as Job<RepublishBuildJob>);
      default:
        throw new UnrecoverableError(`The ${this.queue} queue has no handler for job "${job.name}".`);
    }
  }
}
