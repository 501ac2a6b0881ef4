import { lstat, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import {
  type BuildResult,
  type BuildSnapshot,
  DEFAULT_JOB_OPTIONS,
  type ExtensionManifest,
  type HostPretestResult,
  jobIdOf,
  JobName,
  QueueName,
  type SftpHostSnapshot,
} from '@openexp/queue-contracts';
import { loadOrCreateServerKeys, type ServerKeys } from '@openexp/server-keys';
import type { Queue } from 'bullmq';
import { LibraryBuilder } from '../src/build/library-builder';
import { loadTurbineEngine } from '../src/build/turbine-engine';
import { Redis } from 'ioredis';
import { RedisEnvironmentLock } from '../src/deploy/environment-lock';
import { SftpHostDeployer } from '../src/deploy/sftp-host.deployer';
import { SftpRepository, type SftpSession } from '../src/sftp/sftp.repository';
import { component, coreExtension, coreManifest, FolderPackageReader, idOf, rule, snapshotOf } from '../src/test/snapshot.factory';
import { encryptWithGpg, encryptWithOpenpgp } from './support/encrypt';
import { cuttingProxy, freePort, generateSshKey, PrivateSshd, silentListener } from '@openexp/test-sshd';
import { createTestEnvironment, QueueClient, startWorker, testRedisUrl, type TestEnvironment } from './support/worker-harness';

describe('SFTP deploys and pretests against a real OpenSSH server', () => {
  let env: TestEnvironment;
  let sshd: PrivateSshd;
  let worker: INestApplicationContext;
  let client: QueueClient;
  let keys: ServerKeys;
  let manifest: ExtensionManifest;
  let encryptedKey: string;

  beforeAll(async () => {
    sshd = await PrivateSshd.start();
    env = await createTestEnvironment({ SFTP_CONNECT_TIMEOUT_MS: '1500' });
    keys = await loadOrCreateServerKeys({ dir: env.config.serverKey.dir });
    encryptedKey = await encryptWithOpenpgp(keys.publicKeyArmored, sshd.clientKey.privateKey);
    manifest = await coreManifest();
    worker = await startWorker(env.config);
    client = new QueueClient(env);
  });
  afterAll(async () => {
    await client?.close();
    await worker?.close();
    await env?.cleanup();
    await sshd?.stop();
  });

  const host = (overrides: Partial<SftpHostSnapshot> = {}): SftpHostSnapshot => ({
    id: idOf('HT'),
    type: 'sftp',
    name: 'sftp',
    server: '127.0.0.1',
    port: sshd.port,
    username: sshd.username,
    path: join(sshd.root, idOf('site')),
    skipSymlinks: false,
    encryptedPrivateKey: encryptedKey,
    ...overrides,
  });
  const snapshotFor = (h: SftpHostSnapshot, base?: BuildSnapshot): BuildSnapshot => {
    const fresh = snapshotOf({
      host: h,
      extensions: [coreExtension(manifest, env.corePrefix)],
      rules: [rule('r', [component('core::events::page-bottom', {}), component('core::actions::custom-code', { language: 'javascript', source: 'window.x = 1;' })])],
    });
    return base ? { ...base, host: h, build: { ...fresh.build } } : fresh;
  };
  /** Enqueues a build with few quick retries (the contract's backoff would make transient tests slow). */
  const buildWithQuickRetries = async (snapshot: BuildSnapshot, attempts: number): Promise<BuildResult> => {
    const item = { name: JobName.BuildLibrary, data: { buildId: snapshot.build.id, snapshot } } as const;
    const queue = client.queues.get(QueueName.Builds) as Queue;
    await queue.add(item.name, item.data, { ...DEFAULT_JOB_OPTIONS[QueueName.Builds], attempts, backoff: { type: 'fixed', delay: 200 }, jobId: jobIdOf(item) });
    return client.result<BuildResult>(`result-build-${snapshot.build.id}`);
  };
  const entry = (s: BuildSnapshot, min = true) =>
    join(s.host.type === 'sftp' ? s.host.path : '', s.environment.libraryPath, `launch-${s.environment.token}-development${min ? '.min' : ''}.js`);

  it('deploys with a symlink as the current entry, then switches it to the next build', async () => {
    const h = host();
    const first = snapshotFor(h);
    const result = await buildWithQuickRetries(first, 1);
    expect(result).toMatchObject({ status: 'succeeded', failures: [] });
    expect((await lstat(entry(first))).isSymbolicLink()).toBe(true);
    expect(await readlink(entry(first))).toBe(`${first.build.token}/launch-${first.environment.token}-development.min.js`);
    expect(await readFile(entry(first), 'utf8')).toContain('window._satellite.container');

    const second = snapshotFor(h, first);
    expect((await buildWithQuickRetries(second, 1)).status).toBe('succeeded');
    expect(await readlink(entry(second))).toBe(`${second.build.token}/launch-${second.environment.token}-development.min.js`);
    expect((await lstat(join(h.path, first.environment.libraryPath, first.build.token))).isDirectory()).toBe(true);
  });

  it('copies the current entry with skip_symlinks', async () => {
    const snapshot = snapshotFor(host({ skipSymlinks: true }));
    expect((await buildWithQuickRetries(snapshot, 1)).status).toBe('succeeded');
    const stat = await lstat(entry(snapshot, false));
    expect(stat.isFile() && !stat.isSymbolicLink()).toBe(true);
    const direct = join(snapshot.host.type === 'sftp' ? snapshot.host.path : '', snapshot.environment.libraryPath, snapshot.build.token, `launch-${snapshot.environment.token}-development.js`);
    expect(await readFile(entry(snapshot, false), 'utf8')).toBe(await readFile(direct, 'utf8'));
  });

  it('fails at once with sftp-authentication-failed naming user@server:port, leaving the current entry unchanged', async () => {
    const h = host();
    const first = snapshotFor(h);
    expect((await buildWithQuickRetries(first, 1)).status).toBe('succeeded');
    const stranger = await generateSshKey(env.root, `stranger-${Date.now()}`);
    const revoked = { ...h, encryptedPrivateKey: await encryptWithOpenpgp(keys.publicKeyArmored, stranger.privateKey) };
    const second = snapshotFor(revoked, first);
    const result = await buildWithQuickRetries(second, 5);
    expect(result).toMatchObject({ status: 'failed', attempt: 1 });
    expect(result.failures).toEqual([
      expect.objectContaining({ code: 'sftp-authentication-failed', detail: `All configured authentication methods failed for ${sshd.username}@127.0.0.1:${sshd.port}.` }),
    ]);
    expect(JSON.stringify(result)).not.toContain('PRIVATE KEY');
    expect(await readlink(entry(first))).toBe(`${first.build.token}/launch-${first.environment.token}-development.min.js`);
  });

  it('reports a refused write as sftp-status-exception (permission denied)', async () => {
    const snapshot = snapshotFor(host({ port: sshd.readOnlyPort }));
    const result = await buildWithQuickRetries(snapshot, 5);
    expect(result).toMatchObject({ status: 'failed', attempt: 1 });
    expect(result.failures[0]?.code).toBe('sftp-status-exception');
    expect(result.failures[0]?.detail).toContain(`${sshd.username}@127.0.0.1:${sshd.readOnlyPort} failed: Permission denied.`);
  });

  it('retries a closed port and ends with connection-refused after the last attempt', async () => {
    const port = await freePort();
    const result = await buildWithQuickRetries(snapshotFor(host({ port })), 2);
    expect(result).toMatchObject({ status: 'failed', attempt: 2 });
    expect(result.failures[0]).toMatchObject({ code: 'connection-refused', detail: `The connection to ${sshd.username}@127.0.0.1:${port} was refused.` });
  });

  it('gives sftp-connection-timeout when the server never speaks SSH', async () => {
    const silent = await silentListener();
    try {
      const result = await buildWithQuickRetries(snapshotFor(host({ port: silent.port })), 1);
      expect(result.status).toBe('failed');
      expect(result.failures[0]).toMatchObject({ code: 'sftp-connection-timeout', detail: `No SSH handshake with ${sshd.username}@127.0.0.1:${silent.port} within 1500 ms.` });
    } finally {
      await silent.close();
    }
  });

  it('reports decrypt-failed for a key encrypted to another server', async () => {
    const result = await buildWithQuickRetries(snapshotFor(host({ encryptedPrivateKey: '-----BEGIN PGP MESSAGE-----\n\nbm90IGEga2V5\n-----END PGP MESSAGE-----\n' })), 5);
    expect(result).toMatchObject({ status: 'failed', attempt: 1 });
    expect(result.failures[0]?.code).toBe('decrypt-failed');
  });

  it('reports ssh-disconnect when the connection is cut mid-upload, and the previous library stays current', async () => {
    const repo = new SftpRepository({ connectTimeoutMs: 3000, operationTimeoutMs: 10000 });
    const deployer = new SftpHostDeployer(repo);
    const builder = new LibraryBuilder(() => loadTurbineEngine(), new FolderPackageReader());
    const h = host();
    const first = { ...snapshotFor(h), extensions: [coreExtension(manifest)] };
    await deployer.deploy(h, sshd.clientKey.privateKey, await builder.build(first));

    const proxy = await cuttingProxy(sshd.port, 40000);
    try {
      const second = snapshotFor({ ...h, port: proxy.port }, first);
      const library = await builder.build(second);
      const error = await deployer.deploy({ ...h, port: proxy.port }, sshd.clientKey.privateKey, library).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ReactorError);
      expect((error as ReactorError).code).toBe('ssh-disconnect');
      expect((error as ReactorError).detail).toBe(`The SSH session with ${sshd.username}@127.0.0.1:${proxy.port} closed before the transfer completed.`);
      expect(await readlink(entry(first))).toBe(`${first.build.token}/launch-${first.environment.token}-development.min.js`);
      // The deploy marker comes last: the cut deploy left none, so the next one is done in full.
      const marker = join(h.path, second.environment.libraryPath, second.build.token, '.deployed.json');
      await expect(lstat(marker)).rejects.toThrow();
      const files = await deployer.deploy(h, sshd.clientKey.privateKey, library);
      expect(await readlink(entry(second))).toBe(`${second.build.token}/launch-${second.environment.token}-development.min.js`);
      expect(JSON.parse(await readFile(marker, 'utf8'))).toMatchObject({ buildId: second.build.id, files });
    } finally {
      await proxy.close();
    }
  });

  it('deploys a build once: a repeated deploy of the same build finds its marker, changes nothing and answers the same files', async () => {
    const deployer = new SftpHostDeployer(new SftpRepository({ connectTimeoutMs: 3000, operationTimeoutMs: 10000 }));
    const h = host({ skipSymlinks: true });
    const snapshot = { ...snapshotFor(h), extensions: [coreExtension(manifest)] };
    const library = await new LibraryBuilder(() => loadTurbineEngine(), new FolderPackageReader()).build(snapshot);
    const files = await deployer.deploy(h, sshd.clientKey.privateKey, library);
    const dir = join(h.path, snapshot.environment.libraryPath);
    expect(JSON.parse(await readFile(join(dir, snapshot.build.token, '.deployed.json'), 'utf8'))).toMatchObject({ buildId: snapshot.build.id, files });

    // The same build again with other bytes (an archive encrypted anew, say): nothing is uploaded or switched.
    const again = { ...library, files: library.files.map((f) => ({ ...f, content: `${f.content}\n// again` })) };
    expect(await deployer.deploy(h, sshd.clientKey.privateKey, again)).toEqual(files);
    const min = library.files.find((f) => f.path === library.layout.minFileName)?.content;
    expect(await readFile(join(dir, library.layout.minFileName), 'utf8')).toBe(min);
    expect(await readFile(join(dir, snapshot.build.token, library.layout.minFileName), 'utf8')).toBe(min);
  });

  it('leaves the newer of two builds current when both finish together on two workers (the switch is under the shared deploy lock)', async () => {
    const builder = new LibraryBuilder(() => loadTurbineEngine(), new FolderPackageReader());
    const h = host();
    const older = { ...snapshotFor(h), extensions: [coreExtension(manifest)] };
    const newer = { ...older, build: { ...older.build, id: idOf('BL'), token: 'b'.repeat(12), createdAt: new Date(Date.parse(older.build.createdAt) + 1000).toISOString() } };
    const [olderLibrary, newerLibrary] = [await builder.build(older), await builder.build(newer)];

    // The older build's worker stalls right after reading the marker (still absent) until the newer
    // build's deploy has settled, or 2 s. Without a lock the newer one settles at once and the older
    // one then switches over it; with the lock the newer one waits, sees the older marker and wins.
    let settleNewer = (): void => undefined;
    const newerSettled = new Promise<void>((resolve) => {
      settleNewer = resolve;
    });
    class StallingRepository extends SftpRepository {
      override async open(...args: Parameters<SftpRepository['open']>): Promise<SftpSession> {
        const session = await super.open(...args);
        const exists = session.exists.bind(session);
        session.exists = async (path: string) => {
          const found = await exists(path);
          if (path.endsWith('.current.json')) {
            await Promise.race([newerSettled, new Promise((r) => setTimeout(r, 2000))]);
          }
          return found;
        };
        return session;
      }
    }
    const prefix = `sftp-lock-${idOf('x')}`;
    const connections = [new Redis(testRedisUrl(), { lazyConnect: true }), new Redis(testRedisUrl(), { lazyConnect: true })];
    const locks = connections.map((redis) => new RedisEnvironmentLock(redis, { prefix }));
    const [lockA, lockB] = locks as [RedisEnvironmentLock, RedisEnvironmentLock];
    const timeouts = { connectTimeoutMs: 3000, operationTimeoutMs: 10000 };
    const workerA = new SftpHostDeployer(new StallingRepository(timeouts), lockA);
    const workerB = new SftpHostDeployer(new SftpRepository(timeouts), lockB);
    try {
      const first = workerA.deploy(h, sshd.clientKey.privateKey, olderLibrary);
      // B starts once A holds the lock (A is stalled inside it).
      await new Promise((r) => setTimeout(r, 300));
      const second = workerB.deploy(h, sshd.clientKey.privateKey, newerLibrary);
      void second.finally(settleNewer).catch(() => undefined);
      const [a, b] = await Promise.all([first, second]);
      const minEntry = `${older.environment.libraryPath}/launch-${older.environment.token}-development.min.js`;
      expect(a).toContain(minEntry); // the older one was current for a moment
      expect(b).toContain(minEntry); // and the newer one then replaced it
      expect(await readlink(entry(newer))).toBe(`${newer.build.token}/launch-${newer.environment.token}-development.min.js`);
    } finally {
      await Promise.all(locks.map((l) => l.close()));
    }
  });

  it('pretests a host whose key was encrypted with gpg: writes, reads back and removes a probe', async () => {
    const h = host({ encryptedPrivateKey: await encryptWithGpg(keys.publicKeyArmored, keys.fingerprint, sshd.clientKey.privateKey) });
    await client.enqueue({ name: JobName.PretestHost, data: { hostId: h.id, hostRevision: 3, host: h } });
    const result = await client.result<HostPretestResult>(`result-pretest-${h.id}-r3`);
    expect(result).toMatchObject({ hostId: h.id, hostRevision: 3, status: 'succeeded', failures: [] });
    await expect(lstat(join(h.path, `.openexp-pretest-${h.id}-r3`))).rejects.toThrow();
  });

  it('fails a pretest of a path it cannot write with sftp-status-exception', async () => {
    const h = host({ port: sshd.readOnlyPort });
    await client.enqueue({ name: JobName.PretestHost, data: { hostId: h.id, hostRevision: 1, host: h } });
    const result = await client.result<HostPretestResult>(`result-pretest-${h.id}-r1`);
    expect(result.status).toBe('failed');
    expect(result.failures[0]?.code).toBe('sftp-status-exception');
  });
});
