import type { INestApplicationContext } from '@nestjs/common';
import { type BuildResult, JobName } from '@openexp/queue-contracts';
import { parseConfig } from '@openexp/service-runtime';
import { buildWorkerConfigSchema, toBuildWorkerConfig } from '../src/config/build-worker.config';
import { component, coreExtension, coreManifest, rule, snapshotOf } from '../src/test/snapshot.factory';
import { sftpHostFor } from './support/sftp-host';
import { RestartableRedis } from './support/redis-process';
import { gateProxy, PrivateSshd } from '@openexp/test-sshd';
import { createTestEnvironment, QueueClient, startWorker, type TestEnvironment } from './support/worker-harness';

describe('Redis outage during a build', () => {
  let redis: RestartableRedis;
  let sshd: PrivateSshd;
  let env: TestEnvironment;
  let worker: INestApplicationContext | undefined;
  let client: QueueClient | undefined;

  beforeAll(async () => {
    redis = await RestartableRedis.start();
    sshd = await PrivateSshd.start();
    env = await createTestEnvironment({ REDIS_URL: redis.url, WORKER_LOCK_DURATION_MS: '3000', WORKER_STALLED_INTERVAL_MS: '1000', SFTP_CONNECT_TIMEOUT_MS: '60000' });
  });
  afterAll(async () => {
    await client?.close();
    await worker?.close();
    await env?.cleanup();
    await sshd?.stop();
    await redis?.stop();
  });

  it('loses nothing: Redis killed while a build deploys and started again → the build result arrives once', async () => {
    const gate = await gateProxy(sshd.port);
    try {
      const host = await sftpHostFor(sshd, { port: gate.port, serverKeyDir: env.config.serverKey.dir, path: 'outage', skipSymlinks: true });
      const snapshot = snapshotOf({
        host,
        extensions: [coreExtension(await coreManifest(), env.corePrefix)],
        rules: [rule('r', [component('core::events::window-loaded', {}), component('core::actions::custom-code', { language: 'javascript', source: 'window.b = 2;' })])],
      });
      worker = await startWorker(toBuildWorkerConfig(parseConfig('build-worker', buildWorkerConfigSchema, env.env)));
      client = new QueueClient(env);
      await client.enqueue({ name: JobName.BuildLibrary, data: { buildId: snapshot.build.id, snapshot } });
      await new Promise<void>((resolve) => {
        const tick = (): void => (gate.connections() > 0 ? resolve() : void setTimeout(tick, 20));
        tick();
      });

      await redis.down();
      gate.open();
      // Let the held deploy proceed while Redis is away, then bring Redis back with its data.
      await new Promise((r) => setTimeout(r, 1500));
      await redis.up();

      const result = await client.result<BuildResult>(`result-build-${snapshot.build.id}`, 60000);
      expect(result.status).toBe('succeeded');
      const mine = (await client.allResults()).filter((j) => (j.data as BuildResult).buildId === snapshot.build.id);
      expect(mine).toHaveLength(1);
    } finally {
      await gate.close();
    }
  });
});
