import { Injectable } from '@nestjs/common';
import { QueueName } from '@openexp/queue-contracts';
import { BuildLibraryHandler } from './build-library.handler';
import type { WorkerJobHandler } from './job-handler';
import type { QueueConsumer } from './queue-consumer';
import { RepublishBuildHandler } from './republish-build.handler';

/** Handlers of the `builds` queue. Consumed by WorkerRunner after the boot check. */
@Injectable()
export class BuildsProcessor implements QueueConsumer {
  readonly queue = QueueName.Builds;
  readonly handlers: readonly WorkerJobHandler[];

  constructor(buildLibrary: BuildLibraryHandler, republishBuild: RepublishBuildHandler) {
    this.handlers = [buildLibrary, republishBuild];
  }
}
