import { JOB_QUEUE, jobIdOf, jobNamesOf, type JobItem } from './jobs';
import { ASSET_QUEUES, JobName, QueueName, TAGS_QUEUES } from './names';
import { DEFAULT_JOB_OPTIONS } from './options';

describe('queue contract', () => {
  it('routes every job name to exactly one queue, and every queue has jobs', () => {
    const names = Object.values(JobName);
    expect(names.every((n) => Object.values(QueueName).includes(JOB_QUEUE[n]))).toBe(true);
    for (const queue of Object.values(QueueName)) {
      expect(jobNamesOf(queue).length).toBeGreaterThan(0);
    }
    expect(jobNamesOf(QueueName.Results).sort()).toEqual(
      [JobName.BuildResult, JobName.ExtensionPackageResult, JobName.HostPretestResult, JobName.RepublishResult].sort(),
    );
    expect(jobNamesOf(QueueName.Builds).sort()).toEqual([JobName.BuildLibrary, JobName.RepublishBuild].sort());
    expect(jobNamesOf(QueueName.AssetResults)).toEqual([JobName.AssetJobResult]);
    expect([...TAGS_QUEUES, ...ASSET_QUEUES].sort()).toEqual(Object.values(QueueName).sort());
  });

  it('names asset jobs and their results after the API job, one job per API job', () => {
    const ingest: JobItem = {
      name: JobName.IngestAsset,
      data: { jobId: 'JB1', kind: 'upload', catalog: 'shop', assetId: 'shoe', stagingKey: 'k', originalName: null, record: {}, requestedAt: '2026-01-01T00:00:00.000Z' },
    };
    const result: JobItem = {
      name: JobName.AssetJobResult,
      data: { jobId: 'JB1', status: 'failed', failures: [], asset: null, attempt: 1, finishedAt: '2026-01-01T00:00:01.000Z' },
    };
    expect(jobIdOf(ingest)).toBe('asset-JB1');
    expect(jobIdOf(result)).toBe('result-asset-JB1');
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

  it('gives every republish request of a build its own job and result id', () => {
    const job = (republishSequence: number): JobItem => ({
      name: JobName.RepublishBuild,
      data: {
        buildId: 'BL1',
        republishSequence,
        requestedAt: '2026-01-01T00:00:00.000Z',
        build: { id: 'BL1', token: 'abc', createdAt: '2025-12-31T00:00:00.000Z' },
        environment: { id: 'EN1', token: 'def', stage: 'production', libraryPath: 'co/pr' },
        host: { id: 'HT1', type: 'akamai', name: 'Managed' },
      },
    });
    expect(jobIdOf(job(1))).toBe('republish-BL1-s1');
    expect(jobIdOf(job(2))).not.toBe(jobIdOf(job(1)));
    const result: JobItem = {
      name: JobName.RepublishResult,
      data: { buildId: 'BL1', republishSequence: 2, status: 'succeeded', failures: [], files: [], attempt: 1, finishedAt: '2026-01-01T00:00:01.000Z' },
    };
    expect(jobIdOf(result)).toBe('result-republish-BL1-s2');
  });

  it('retries every queue with jittered exponential backoff', () => {
    for (const queue of Object.values(QueueName)) {
      const options = DEFAULT_JOB_OPTIONS[queue];
      expect(options.attempts).toBeGreaterThan(1);
      expect(options.backoff).toMatchObject({ type: 'exponential', jitter: expect.any(Number) });
    }
  });
});
