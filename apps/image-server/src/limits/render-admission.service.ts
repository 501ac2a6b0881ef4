import { Inject, Injectable } from '@nestjs/common';
import { Metrics } from '@openexp/service-runtime';
import { IMAGE_SERVER_CONFIG, type ImageServerConfig } from '../config/image-server.config';
import { RenderAdmission } from './render-admission';

/** The server's one render admission (IS_MAX_RENDERS in flight, IS_MAX_QUEUE waiting), with metrics. */
@Injectable()
export class RenderAdmissionService {
  private readonly admission: RenderAdmission;

  constructor(@Inject(IMAGE_SERVER_CONFIG) config: ImageServerConfig, metrics: Metrics) {
    const refused = metrics.counter('is_renders_refused_total', 'Renders refused because the render queue was full', []);
    this.admission = new RenderAdmission(config.renders.maxInFlight, config.renders.maxQueue, () => refused.inc());
  }

  /** Runs `work` within the limits; throws `IMG_OVERLOADED` (class 4) when the queue is full. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return this.admission.run(work);
  }

  /** Renders in flight and waiting, for logs and tests. */
  get load(): { inFlight: number; queued: number } {
    return { inFlight: this.admission.inFlight, queued: this.admission.queued };
  }
}
