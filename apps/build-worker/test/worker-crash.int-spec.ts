import type { ChildProcess } from 'node:child_process';
import { readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type BuildResult, JobName, QueueName } from '@openexp/queue-contracts';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { component, coreExtension, coreManifest, rule, snapshotOf } from '../src/test/snapshot.factory';
import { sftpHostFor } from './support/sftp-host';
import { gateProxy, PrivateSshd } from '@openexp/test-sshd';
import { spawnWorker, waitFor } from './support/worker-child';
import { createTestEnvironment, QueueClient, type TestEnvironment } from './support/worker-harness';

describe('crash recovery', () => {
  let env: TestEnvironment;
  let sshd: PrivateSshd;
  let client: QueueClient;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    sshd = await PrivateSshd.start();
    env = await createTestEnvironment({ WORKER_LOCK_DURATION_MS: '2000', WORKER_STALLED_INTERVAL_MS: '1000', SFTP_CONNECT_TIMEOUT_MS: '60000' });
    client = new QueueClient(env);
  });
  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
      }
    }
    await client?.close();
    await env?.cleanup();
    await sshd?.stop();
  });

  it('a deploy that outlasts the lock duration keeps its lock (renewed) and is processed once', async () => {
    const gate = await gateProxy(sshd.port);
    const worker = spawnWorker(env.env);
    children.push(worker.child);
    try {
      const host = await sftpHostFor(sshd, { port: gate.port, serverKeyDir: env.config.serverKey.dir, path: 'slow', skipSymlinks: false });
      const snapshot = snapshotOf({ host, extensions: [coreExtension(await coreManifest(), env.corePrefix)] });
      await worker.ready;
      await client.enqueue({ name: JobName.BuildLibrary, data: { buildId: snapshot.build.id, snapshot } });
      await waitFor(() => gate.connections() > 0, 'the deploy to start');
      // The lock the worker holds is the configured 2 s one (BullMQ's default is 30 s), renewed while
      // the job runs: the settings reach BullMQ through the Worker's constructor options.
      const builds = client.queues.get(QueueName.Builds) as Queue;
      // BullMQ types its client narrowly; it is an ioredis client.
      const redis = (await builds.client) as unknown as Redis;
      const lockKey = builds.toKey(`build-${snapshot.build.id}:lock`);
      const lockTtls = [await redis.pttl(lockKey)];
      // Hold the deploy for more than twice the 2 s lock, across several stalled checks.
      await new Promise((r) => setTimeout(r, 2500));
      lockTtls.push(await redis.pttl(lockKey));
      await new Promise((r) => setTimeout(r, 2500));
      gate.open();
      for (const ttl of lockTtls) {
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(2000);
      }
      const result = await client.result<BuildResult>(`result-build-${snapshot.build.id}`, 60000);
      expect(result.status).toBe('succeeded');
      const job = await (client.queues.get(QueueName.Builds) as Queue).getJob(`build-${snapshot.build.id}`);
      expect(job?.stalledCounter).toBe(0);
      expect((await client.allResults()).filter((j) => (j.data as BuildResult).buildId === snapshot.build.id)).toHaveLength(1);
    } finally {
      worker.child.kill('SIGTERM');
      await new Promise((resolve) => (worker.child.exitCode !== null ? resolve(null) : worker.child.once('exit', resolve)));
      await gate.close();
    }
  });

  it('a worker killed with SIGKILL in the middle of a build: after restart the build completes exactly once', async () => {
    const gate = await gateProxy(sshd.port);
    try {
      const host = await sftpHostFor(sshd, { port: gate.port, serverKeyDir: env.config.serverKey.dir, path: 'crash', skipSymlinks: false });
      const snapshot = snapshotOf({
        host,
        extensions: [coreExtension(await coreManifest(), env.corePrefix)],
        rules: [rule('r', [component('core::events::dom-ready', {}), component('core::actions::custom-code', { language: 'javascript', source: 'window.a = 1;' })])],
      });

      const first = spawnWorker(env.env);
      children.push(first.child);
      await first.ready;
      await client.enqueue({ name: JobName.BuildLibrary, data: { buildId: snapshot.build.id, snapshot } });
      // The build has been assembled and the deploy is connecting: kill the worker there.
      await waitFor(() => gate.connections() > 0, 'the first worker to start deploying');
      const builds = client.queues.get(QueueName.Builds) as Queue;
      expect(await builds.getJobState(`build-${snapshot.build.id}`)).toBe('active');
      first.child.kill('SIGKILL');
      await new Promise((resolve) => first.child.once('exit', resolve));
      gate.open();

      const second = spawnWorker(env.env);
      children.push(second.child);
      await second.ready;
      const result = await client.result<BuildResult>(`result-build-${snapshot.build.id}`, 60000);
      expect(result.status).toBe('succeeded');

      const mine = (await client.allResults()).filter((j) => (j.data as BuildResult).buildId === snapshot.build.id);
      expect(mine).toHaveLength(1);
      const job = await builds.getJob(`build-${snapshot.build.id}`);
      expect(job?.stalledCounter).toBe(1);
      const current = join(host.path, snapshot.environment.libraryPath, `launch-${snapshot.environment.token}-development.min.js`);
      expect(await readlink(current)).toBe(`${snapshot.build.token}/launch-${snapshot.environment.token}-development.min.js`);
      expect(await readFile(current, 'utf8')).toContain('window._satellite.container');
      // Graceful shutdown: SIGTERM closes the workers and the process exits cleanly.
      second.child.kill('SIGTERM');
      expect(await new Promise((resolve) => second.child.once('exit', (code) => resolve(code)))).toBe(0);
    } finally {
      await gate.close();
    }
  });
});
