import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import type { WorkerFailure } from '@openexp/errors';
import {
  ASSETS_CHANGED_EVENT,
  ASSETS_PURGE_EVENT,
  JobName,
  JobProducer,
  QueueName,
  type AssetJobResult,
  type IngestAssetJob,
  type JobItem,
  type PurgeAssetsJob,
  type UnpublishAssetJob,
} from '@openexp/queue-contracts';
import { redisOptionsFromUrl } from '@openexp/service-runtime';
import { Queue, Worker, type Job } from 'bullmq';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import sharp from 'sharp';

/**
 * TEST HARNESS standing in for build-worker's asset processor (issue 17 item 2, built by another
 * session): a real BullMQ Worker on the real `assets` queue that answers real `AssetJobResult`s on
 * `asset-results` and publishes the real broadcasts, so the image server's side (API, results,
 * replicas) is tested against real Redis. It does no pyramid conversion: the staged file is copied
 * as it is, and the catalog's record file rewritten whole. `failNext` makes the next ingest fail.
 */
export class TestAssetWorker {
  private readonly versions = new Map<string, number>();
  private failures: WorkerFailure[] | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly results: Queue,
    private readonly broadcasts: ClientProxy,
  ) {}

  static async start(options: { redisUrl: string; prefix: string; stagingDir: string; imageRoot: string; recordFile: string; catalogImageDir: string }): Promise<TestAssetWorker> {
    const connection = redisOptionsFromUrl(options.redisUrl);
    const results = new Queue(QueueName.AssetResults, { connection, prefix: options.prefix });
    const broadcasts = ClientProxyFactory.create({ transport: Transport.REDIS, options: { ...connection, retryAttempts: 1000, retryDelay: 200 } });
    await broadcasts.connect();
    const holder: { self?: TestAssetWorker } = {};
    const worker = new Worker(QueueName.Assets, (job: Job) => (holder.self as TestAssetWorker).process(job, options), { connection: { ...connection, maxRetriesPerRequest: null }, prefix: options.prefix });
    await worker.waitUntilReady();
    holder.self = new TestAssetWorker(worker, results, broadcasts);
    return holder.self;
  }

  /** Stops taking jobs (they stay queued) until {@link resume}. */
  async pause(): Promise<void> {
    await this.worker.pause();
  }

  resume(): void {
    this.worker.resume();
  }

  /** The next ingest fails with these failures (permanent). */
  failNext(failures: WorkerFailure[]): void {
    this.failures = failures;
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.results.close();
    // After a Redis outage its connection may be gone already.
    await Promise.resolve()
      .then(() => this.broadcasts.close())
      .catch(() => undefined);
  }

  private async process(job: Job, o: { stagingDir: string; recordFile: string; catalogImageDir: string }): Promise<void> {
    const item = { name: job.name, data: job.data } as JobItem;
    if (item.name === JobName.IngestAsset) {
      await this.ingest(item.data, o);
    } else if (item.name === JobName.UnpublishAsset) {
      await this.unpublish(item.data, o.recordFile);
    } else if (item.name === JobName.PurgeAssets) {
      await this.purge(item.data);
    }
  }

  private async ingest(data: IngestAssetJob, o: { stagingDir: string; recordFile: string; catalogImageDir: string }): Promise<void> {
    const staged = join(o.stagingDir, data.stagingKey);
    const failures = this.failures;
    this.failures = undefined;
    if (failures !== undefined) {
      await rm(staged, { force: true });
      await this.answer({ jobId: data.jobId, status: 'failed', failures, asset: null });
      return;
    }
    const meta = await sharp(staged).metadata();
    const version = (this.versions.get(data.assetId) ?? 0) + 1;
    this.versions.set(data.assetId, version);
    const path = `assets/${data.assetId}-v${version}.${meta.format ?? 'bin'}`;
    await mkdir(join(o.catalogImageDir, 'assets'), { recursive: true });
    await copyFile(staged, join(o.catalogImageDir, path));
    await rm(staged, { force: true });
    await writeRecords(o.recordFile, (rows) => rows.set(data.assetId, [data.assetId, path, data.record['Modifier'] ?? '', data.record['PostModifier'] ?? '', '', '', '']));
    const bytes = (await readFile(join(o.catalogImageDir, path))).length;
    await this.answer({ jobId: data.jobId, status: 'succeeded', failures: [], asset: { catalog: data.catalog, assetId: data.assetId, version, path, width: meta.width ?? 0, height: meta.height ?? 0, sourceFormat: meta.format ?? '', bytes } });
    await this.broadcast(ASSETS_CHANGED_EVENT, { catalog: data.catalog, assetIds: [data.assetId] });
  }

  private async unpublish(data: UnpublishAssetJob, recordFile: string): Promise<void> {
    await writeRecords(recordFile, (rows) => rows.delete(data.assetId));
    await this.answer({ jobId: data.jobId, status: 'succeeded', failures: [], asset: null });
    await this.broadcast(ASSETS_CHANGED_EVENT, { catalog: data.catalog, assetIds: [data.assetId] });
  }

  private async purge(data: PurgeAssetsJob): Promise<void> {
    await this.broadcast(ASSETS_PURGE_EVENT, { catalog: data.catalog, ids: data.ids, urls: data.urls });
    await this.answer({ jobId: data.jobId, status: 'succeeded', failures: [], asset: null });
  }

  private async answer(result: Omit<AssetJobResult, 'attempt' | 'finishedAt'>): Promise<void> {
    await new JobProducer(() => this.results).enqueue({ name: JobName.AssetJobResult, data: { ...result, attempt: 1, finishedAt: new Date().toISOString() } });
  }

  private async broadcast(event: string, message: object): Promise<void> {
    await lastValueFrom(this.broadcasts.emit(event, message), { defaultValue: undefined });
  }
}

/** Rewrites a tab-separated record file (header kept), through a temporary file and a rename. */
async function writeRecords(file: string, change: (rows: Map<string, string[]>) => void): Promise<void> {
  const [header = '', ...lines] = (await readFile(file, 'latin1')).split('\n').filter((l) => l !== '');
  const rows = new Map(lines.map((l) => [l.split('\t')[0] ?? '', l.split('\t')]));
  change(rows);
  await writeFile(`${file}.tmp`, [header, ...[...rows.values()].map((r) => r.join('\t'))].join('\n') + '\n', 'latin1');
  await rename(`${file}.tmp`, file);
}
