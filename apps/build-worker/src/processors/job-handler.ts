import type { JobName, JobOf } from '@openexp/queue-contracts';
import type { Job } from 'bullmq';

/** Handles one job name. Every job name of a consumed queue has exactly one (checked at boot). */
export interface JobHandler<N extends JobName = JobName> {
  readonly jobName: N;
  handle(job: Job<JobOf<N>>): Promise<void>;
}
