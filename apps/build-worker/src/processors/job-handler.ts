import type { AnyJobHandler, JobHandler as ContractJobHandler, JobName } from '@openexp/queue-contracts';

/** Handles one job name. Every job name of a consumed queue has exactly one (checked at boot). */
export type JobHandler<N extends JobName> = ContractJobHandler<N>;

/** A handler of any one job name of the worker's queues. */
export type WorkerJobHandler = AnyJobHandler;
