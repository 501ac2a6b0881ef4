import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FsBlobStore } from '@openexp/blob-store';
import { type JobItem, JobProducer, QueueName } from '@openexp/queue-contracts';
import { createRootLogger, createServiceRuntime, parseConfig, ServiceRuntimeModule } from '@openexp/service-runtime';
import { type Job, Queue } from 'bullmq';
import { buildWorkerConfigSchema, toBuildWorkerConfig, type BuildWorkerConfig } from '../../src/config/build-worker.config';
import { workerConnectionOptions } from '../../src/queue/redis-connection';
import { CORE_DIR } from '../../src/test/snapshot.factory';
import { WorkerModule } from '../../src/worker.module';

export function testRedisUrl(): string {
  const url = process.env['TEST_REDIS_URL'];
  if (!url) {
    throw new Error('TEST_REDIS_URL is not set: run through the test:integration target (tools/test/global-setup.js starts Redis).');
  }
  return url;
}

/** Environment of a worker under test: its own queue prefix, blob root and key folder. */
export interface TestEnvironment {
  prefix: string;
  root: string;
  blobRoot: string;
  env: Record<string, string>;
  config: BuildWorkerConfig;
  /** Blob prefix holding the repository's `core` package. */
  corePrefix: string;
  cleanup(): Promise<void>;
}

export async function createTestEnvironment(extra: Record<string, string> = {}): Promise<TestEnvironment> {
  const root = await mkdtemp(join(tmpdir(), 'build-worker-it-'));
  const prefix = `test-${randomUUID()}`;
  const blobRoot = join(root, 'blobs');
  const env: Record<string, string> = {
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: prefix,
    BLOB_ROOT: blobRoot,
    DATA_DIR: join(root, 'data'),
    LOG_LEVEL: 'warn',
    WORKER_LOCK_DURATION_MS: '5000',
    WORKER_STALLED_INTERVAL_MS: '2000',
    SFTP_CONNECT_TIMEOUT_MS: '3000',
    ...extra,
  };
  const corePrefix = 'extension-packages/EPcore/files';
  await cp(CORE_DIR, join(blobRoot, corePrefix), { recursive: true });
  return {
    prefix,
    root,
    blobRoot,
    env,
    config: toBuildWorkerConfig(parseConfig('build-worker', buildWorkerConfigSchema, env)),
    corePrefix,
    cleanup: async () => {
      const queues = Object.values(QueueName).map((name) => new Queue(name, { connection: workerConnectionOptions(env['REDIS_URL'] ?? ''), prefix }));
      await Promise.all(queues.map(async (q) => {
        await q.obliterate({ force: true });
        await q.close();
      }));
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Starts the real worker module in this process. */
export async function startWorker(config: BuildWorkerConfig): Promise<INestApplicationContext> {
  const runtime = createServiceRuntime('build-worker', createRootLogger('build-worker', config.logLevel));
  @Module({ imports: [ServiceRuntimeModule.forRoot(runtime, { http: false }), WorkerModule.forRoot(config)] })
  class TestRootModule {}
  return NestFactory.createApplicationContext(TestRootModule, { logger: false });
}

/** Producer side, as reactor-api does it, plus a reader of the results queue. */
export class QueueClient {
  readonly queues: Map<QueueName, Queue>;
  readonly producer: JobProducer;

  constructor(env: TestEnvironment) {
    this.queues = new Map(
      Object.values(QueueName).map((name) => [name, new Queue(name, { connection: workerConnectionOptions(env.env['REDIS_URL'] ?? ''), prefix: env.prefix })]),
    );
    this.producer = new JobProducer((name) => this.queues.get(name) as Queue);
  }

  enqueue(item: JobItem): Promise<string> {
    return this.producer.enqueue(item);
  }

  /** Waits until the result job `id` is on the results queue (or `queue`, e.g. asset-results). */
  async result<T>(id: string, waitMs = 50000, queue: QueueName = QueueName.Results): Promise<T> {
    const results = this.queues.get(queue) as Queue;
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      const job = (await results.getJob(id)) as Job<T> | undefined;
      if (job) {
        return job.data;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no result ${id} within ${waitMs} ms`);
  }

  /** Every job currently on the results queue. */
  async allResults(): Promise<Job[]> {
    const results = this.queues.get(QueueName.Results) as Queue;
    return results.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized']);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}

export function blobStore(env: TestEnvironment): FsBlobStore {
  return new FsBlobStore(env.blobRoot);
}
