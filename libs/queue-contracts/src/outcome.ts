/** Final outcome of a work job, as its result reports it. */
export type JobStatusOutcome = 'succeeded' | 'failed';
