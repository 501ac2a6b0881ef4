import { Inject, Injectable } from '@nestjs/common';
import { failuresFromUnknown } from '@openexp/errors';
import { type ExtensionManifest, JobName, type ProcessExtensionPackageJob } from '@openexp/queue-contracts';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { type ExtensionPackageProcessor, PackageRejected } from '../packages/package-processor';
import { ResultsPublisher } from '../queue/results.publisher';
import type { JobHandler } from './job-handler';
import { settleJob } from './job-settlement';
import { PACKAGE_PROCESSOR } from './tokens';

/** Unzips, validates and stores an uploaded extension package; posts the manifest or the deferred error. */
@Injectable()
export class ProcessExtensionPackageHandler implements JobHandler<JobName.ProcessExtensionPackage> {
  readonly jobName = JobName.ProcessExtensionPackage;
  private readonly logger: Logger;

  constructor(
    @Inject(PACKAGE_PROCESSOR) private readonly processor: ExtensionPackageProcessor,
    private readonly results: ResultsPublisher,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ component: 'extension-package' });
  }

  async handle(job: Job<ProcessExtensionPackageJob>): Promise<void> {
    const { extensionPackageId, uploadKey, filesPrefix } = job.data;
    const base = { extensionPackageId, uploadKey, filesPrefix };
    let manifest: ExtensionManifest | null = null;
    await settleJob(
      job,
      this.logger.child({ jobId: job.id, extensionPackageId }),
      async () => {
        const parsed = await this.processor.process(job.data);
        await this.results.publish({
          name: JobName.ExtensionPackageResult,
          data: { ...base, status: 'succeeded', failures: [], manifest: parsed, finishedAt: new Date().toISOString() },
        });
      },
      (failures) =>
        this.results.publish({
          name: JobName.ExtensionPackageResult,
          data: { ...base, status: 'failed', failures, manifest, finishedAt: new Date().toISOString() },
        }),
      (error) => {
        if (error instanceof PackageRejected) {
          manifest = error.manifest;
          return failuresFromUnknown(error.reason);
        }
        return failuresFromUnknown(error);
      },
    );
  }
}
