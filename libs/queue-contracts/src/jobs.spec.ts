import { JOB_QUEUE, jobIdOf, jobNamesOf, type JobItem } from './jobs';
import { JobName, QueueName } from './names';
import { DEFAULT_JOB_OPTIONS } from './options';

describe('queue contract', () => {
  it('routes every job name to exactly one queue, and every queue has jobs', () => {
    const names = Object.values(JobName);
    expect(names.every((n) => Object.values(QueueName).includes(JOB_QUEUE[n]))).toBe(true);
    for (const queue of Object.values(QueueName)) {
      expect(jobNamesOf(queue).length).toBeGreaterThan(0);
    }
    expect(jobNamesOf(QueueName.Results).sort()).toEqual(
      [JobName.BuildResult, JobName.ExtensionPackageResult, JobName.HostPretestResult].sort(),
    );
  });

  it('derives deterministic ids without the character BullMQ forbids', () => {
    const item: JobItem = {
      name: JobName.ProcessExtensionPackage,
      data: { extensionPackageId: 'EP1', uploadKey: 'uploads/EP1/a:b', filesPrefix: 'x', ownerOrgId: 'o', trusted: false },
    };
    expect(jobIdOf(item)).toBe('package-EP1-uploads_EP1_a_b');
    expect(jobIdOf(item)).toBe(jobIdOf(structuredClone(item)));
    expect(jobIdOf(item)).not.toContain(':');
  });

  it('retries every queue with jittered exponential backoff', () => {
    for (const queue of Object.values(QueueName)) {
      const options = DEFAULT_JOB_OPTIONS[queue];
      expect(options.attempts).toBeGreaterThan(1);
      expect(options.backoff).toMatchObject({ type: 'exponential', jitter: expect.any(Number) });
    }
  });
});
