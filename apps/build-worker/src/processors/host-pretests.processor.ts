import { Injectable } from '@nestjs/common';
import { QueueName } from '@openexp/queue-contracts';
import type { WorkerJobHandler } from './job-handler';
import { PretestHostHandler } from './pretest-host.handler';
import type { QueueConsumer } from './queue-consumer';

/** Handlers of the `host-pretests` queue. Consumed by WorkerRunner after the boot check. */
@Injectable()
export class HostPretestsProcessor implements QueueConsumer {
  readonly queue = QueueName.HostPretests;
  readonly handlers: readonly WorkerJobHandler[];

  constructor(pretestHost: PretestHostHandler) {
    this.handlers = [pretestHost];
  }
}
