import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BuildResult, JobName, QueueName } from '@openexp/queue-contracts';
import { gateProxy, PrivateSshd } from '@openexp/test-sshd';
import type { Queue } from 'bullmq';
import { component, coreExtension, coreManifest, largestCustomCodeSettings, MAX_SETTINGS_CHARS, rule, snapshotOf } from '../src/test/snapshot.factory';
import { sftpHostFor } from './support/sftp-host';
import { spawnWorker, stopWorker, type WorkerChild } from './support/worker-child';
import { createTestEnvironment, QueueClient, type TestEnvironment } from './support/worker-harness';

/**
 * Issue 14, item 2: a rule with four custom-code actions, each at the 1 MiB limit, takes seconds to
 * minify (about 0.8 s per MiB on an idle reference machine, several times that under load), longer
 * than a 2 s job lock. With two worker processes and a stalled check every second, the build must
 * still run once: one activation of the job, one connection to the SFTP host, one result.
 */
describe('a build far longer than the job lock', () => {
  let env: TestEnvironment;
  let sshd: PrivateSshd;
  let client: QueueClient;
  const workers: WorkerChild[] = [];

  beforeAll(async () => {
    sshd = await PrivateSshd.start();
    env = await createTestEnvironment({ WORKER_LOCK_DURATION_MS: '2000', WORKER_STALLED_INTERVAL_MS: '1000', WORKER_MAX_STALLED_COUNT: '2' });
    client = new QueueClient(env);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => stopWorker(w)));
    await client?.close();
    await env?.cleanup();
    await sshd?.stop();
  });

  it('is built, deployed and reported once', async () => {
    const gate = await gateProxy(sshd.port);
    gate.open();
    try {
      const host = await sftpHostFor(sshd, { port: gate.port, serverKeyDir: env.config.serverKey.dir, path: 'large', skipSymlinks: false });
      const actions = ['a', 'b', 'c', 'd'].map((seed) => component('core::actions::custom-code', largestCustomCodeSettings(seed)));
      for (const action of actions) {
        expect(action.settings?.length).toBeLessThanOrEqual(MAX_SETTINGS_CHARS);
        expect(action.settings?.length).toBeGreaterThan(MAX_SETTINGS_CHARS - 1024);
      }
      const snapshot = snapshotOf({
        host,
        extensions: [coreExtension(await coreManifest(), env.corePrefix)],
        rules: [rule('large', [component('core::events::library-loaded', {}), ...actions])],
      });
      workers.push(spawnWorker(env.env), spawnWorker(env.env));
      await Promise.all(workers.map((w) => w.ready));

      const buildId = snapshot.build.id;
      await client.enqueue({ name: JobName.BuildLibrary, data: { buildId, snapshot } });
      const result = await client.result<BuildResult>(`result-build-${buildId}`, 120000);
      expect(result).toMatchObject({ status: 'succeeded', failures: [], attempt: 1 });

      // Give a wrongly stalled job time to be picked up again before counting.
      await new Promise((r) => setTimeout(r, 4000));
      const builds = client.queues.get(QueueName.Builds) as Queue;
      const job = await builds.getJob(`build-${buildId}`);
      expect(await job?.getState()).toBe('completed');
      expect(job?.stalledCounter).toBe(0);
      expect(job?.attemptsStarted).toBe(1);
      expect(gate.connections()).toBe(1);
      expect((await client.allResults()).filter((j) => (j.data as BuildResult).buildId === buildId)).toHaveLength(1);

      const base = `launch-${snapshot.environment.token}-development`;
      const min = await readFile(join(host.path, snapshot.environment.libraryPath, `${base}.min.js`), 'utf8');
      expect(min).toContain('tick_d_');
      expect(min.length).toBeLessThan(4 * MAX_SETTINGS_CHARS);
    } finally {
      await gate.close();
    }
  }, 180000);
});
