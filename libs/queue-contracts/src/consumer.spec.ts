import { UnrecoverableError, type Job } from 'bullmq';
import { handlerProblems, jobDispatcher, jobHandler } from './consumer';
import { JobName, QueueName } from './names';

/** A job as the dispatcher sees it: only its name and payload are read. */
function jobNamed(name: string, data: unknown = {}): Job {
  return { name, data } as Job;
}

describe('queue consumer dispatch', () => {
  const build = jobHandler(JobName.BuildLibrary, (job) => Promise.resolve(`built ${job.data.buildId}`));
  const republish = jobHandler(JobName.RepublishBuild, (job) => Promise.resolve(`republished ${job.data.buildId}`));

  it('accepts a list with exactly one handler per job of the queue', () => {
    expect(handlerProblems(QueueName.Builds, [build, republish])).toEqual([]);
  });

  it('names a missing handler, a duplicate and a handler of another queue', () => {
    const pretest = jobHandler(JobName.PretestHost, () => Promise.resolve('x'));
    expect(handlerProblems(QueueName.Builds, [build, build, pretest])).toEqual([
      'queue "builds": job "build-library" has 2 handlers (exactly 1 needed)',
      'queue "builds": job "republish-build" has 0 handlers (exactly 1 needed)',
      'queue "builds": handler for "pretest-host", which is not a job of this queue',
    ]);
  });

  it('refuses to build a dispatcher from a list with problems', () => {
    expect(() => jobDispatcher(QueueName.Builds, [build])).toThrow('job "republish-build" has 0 handlers');
  });

  it('sends each job to the handler of its name', async () => {
    const dispatch = jobDispatcher(QueueName.Builds, [republish, build]);
    await expect(dispatch(jobNamed(JobName.BuildLibrary, { buildId: 'BL1' }))).resolves.toBe('built BL1');
    await expect(dispatch(jobNamed(JobName.RepublishBuild, { buildId: 'BL2' }))).resolves.toBe('republished BL2');
  });

  it('fails a job without a handler with no retries', async () => {
    const dispatch = jobDispatcher(QueueName.Builds, [build, republish]);
    const outcome = dispatch(jobNamed('rebuild-everything'));
    await expect(outcome).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(outcome).rejects.toThrow('The builds queue has no handler for job "rebuild-everything".');
  });
});
