import { Injectable } from '@nestjs/common';
import { QueueName } from '@openexp/queue-contracts';
import type { WorkerJobHandler } from './job-handler';
import { ProcessExtensionPackageHandler } from './process-extension-package.handler';
import type { QueueConsumer } from './queue-consumer';

/** Handlers of the `extension-packages` queue. Consumed by WorkerRunner after the boot check. */
@Injectable()
export class ExtensionPackagesProcessor implements QueueConsumer {
  readonly queue = QueueName.ExtensionPackages;
  readonly handlers: readonly WorkerJobHandler[];

  constructor(processPackage: ProcessExtensionPackageHandler) {
    this.handlers = [processPackage];
  }
}
