import { utimes } from 'node:fs/promises';
import type { INestApplicationContext } from '@nestjs/common';
import { type BuildResult, type BuildSnapshot, type ExtensionManifest, JobName, type RepublishBuildJob, type RepublishResult } from '@openexp/queue-contracts';
import { Redis } from 'ioredis';
import { RedisEnvironmentLock } from '../src/deploy/environment-lock';
import { component, coreExtension, coreManifest, hex, idOf, rule, snapshotOf } from '../src/test/snapshot.factory';
import { blobStore, createTestEnvironment, QueueClient, startWorker, testRedisUrl, type TestEnvironment } from './support/worker-harness';

/*
 * Managed-host retention (MANAGED_KEEP_BUILDS) through the real worker module, real Redis (jobs,
 * results and the environment lock) and the real blob store: after every deploy or republish the
 * environment's build directories beyond the newest N are deleted — never the current one, never
 * another environment's, at least five kept in production — and two workers finishing builds of one
 * environment together leave the newer one current with its directory.
 */
describe('managed-host retention through real Redis and the real blob store', () => {
  let env: TestEnvironment;
  let workers: INestApplicationContext[];
  let client: QueueClient;
  let manifest: ExtensionManifest;

  beforeAll(async () => {
    env = await createTestEnvironment({ MANAGED_KEEP_BUILDS: '2' });
    // Two worker module instances, each with its own Redis connections and lock client, like two processes.
    workers = [await startWorker(env.config), await startWorker(env.config)];
    client = new QueueClient(env);
    manifest = await coreManifest();
  });
  afterAll(async () => {
    await client?.close();
    for (const worker of workers ?? []) {
      await worker.close();
    }
    await env?.cleanup();
  });

  const base = (stage: 'development' | 'production'): BuildSnapshot => {
    const s = snapshotOf({ extensions: [coreExtension(manifest, env.corePrefix)] });
    return { ...s, environment: { ...s.environment, stage, name: stage }, library: { ...s.library, state: stage === 'production' ? 'approved' : 'development' } };
  };
  const at = (n: number) => new Date(Date.parse('2026-04-01T00:00:00.000Z') + n * 60_000).toISOString();
  /** A build of `of`'s environment created at minute `n`, whose library sets `window.built = n`. */
  const buildOf = (of: BuildSnapshot, n: number): BuildSnapshot => ({
    ...of,
    rules: [rule('r', [component('core::events::library-loaded', {}), component('core::actions::custom-code', { language: 'javascript', source: `window.built = ${n};` })])],
    build: { id: idOf('BL'), token: hex(12), createdAt: at(n) },
  });
  const run = async (snapshot: BuildSnapshot): Promise<void> => {
    await client.enqueue({ name: JobName.BuildLibrary, data: { buildId: snapshot.build.id, snapshot } });
    expect((await client.result<BuildResult>(`result-build-${snapshot.build.id}`)).status).toBe('succeeded');
  };
  const baseName = (s: BuildSnapshot) => (s.environment.stage === 'production' ? `launch-${s.environment.token}` : `launch-${s.environment.token}-${s.environment.stage}`);
  /** Build directories under the library path that hold a file of `s`'s environment. */
  const dirsOf = async (s: BuildSnapshot): Promise<string[]> => {
    const root = `hosted/${s.environment.libraryPath}/`;
    const own = new Set([`${baseName(s)}.js`, `${baseName(s)}.min.js`]);
    const dirs = (await blobStore(env).list(root)).map((k) => k.slice(root.length).split('/')).filter(([, file]) => file !== undefined && own.has(file));
    return [...new Set(dirs.map(([dir]) => dir as string))].sort();
  };
  const currentShows = async (s: BuildSnapshot): Promise<string> =>
    /window\.built=(\d+)/.exec((await blobStore(env).get(`hosted/${s.environment.libraryPath}/${baseName(s)}.min.js`)).toString())?.[1] ?? 'none';
  /** Plants a build directory by hand (before retention existed, or a half-failed build) with files dated `ageMs` ago. */
  const plant = async (s: BuildSnapshot, token: string, ageMs: number): Promise<void> => {
    const blobs = blobStore(env);
    for (const name of [`${baseName(s)}.js`, `${baseName(s)}.min.js`, 'RC1-source.min.js']) {
      const key = `hosted/${s.environment.libraryPath}/${token}/${name}`;
      await blobs.put(key, `planted ${token}`);
      const when = new Date(Date.now() - ageMs);
      await utimes(blobs.pathOf(key), when, when);
    }
  };

  it("keeps the newest N directories of the environment, deletes old unregistered ones once settled, and never another environment's", async () => {
    const dev = base('development');
    const neighbour = { ...dev, environment: { ...dev.environment, id: idOf('EN'), token: hex(12) } };
    await run(buildOf(neighbour, 0));
    await plant(neighbour, 'aaaaaaaaaaa1', 48 * 3_600_000);
    await plant(dev, 'bbbbbbbbbbb1', 48 * 3_600_000);
    await plant(dev, 'bbbbbbbbbbb2', 47 * 3_600_000);
    await plant(dev, 'ccccccccccc1', 0); // still uploading, as far as anyone can tell

    const builds = [1, 2, 3, 4].map((n) => buildOf(dev, n));
    for (const b of builds) {
      await run(b);
    }
    const newest = builds.slice(2).map((b) => b.build.token);
    expect(await dirsOf(dev)).toEqual([...newest, 'ccccccccccc1'].sort());
    expect(await currentShows(dev)).toBe('4');
    expect(await dirsOf(neighbour)).toHaveLength(2);
    expect(await currentShows(neighbour)).toBe('0');
    const marker = JSON.parse((await blobStore(env).get(`hosted/${dev.environment.libraryPath}/.${baseName(dev)}.current.json`)).toString()) as {
      buildId: string;
      builds: Array<{ token: string }>;
    };
    expect(marker.buildId).toBe(builds[3]?.build.id);
    expect(marker.builds.map((b) => b.token)).toEqual([...newest].reverse());
  });

  it('keeps five in production, and never the current directory when a republish made an older build current', async () => {
    const prod = base('production');
    const builds = [1, 2, 3, 4, 5, 6, 7].map((n) => buildOf(prod, n));
    for (const b of builds) {
      await run(b);
    }
    expect(await dirsOf(prod)).toEqual(builds.slice(2).map((b) => b.build.token).sort());

    // Republish build 3 (the oldest kept) at minute 20, then finish builds created at minutes 8 and 9:
    // created before the request, they do not become current, and build 3 is then the 7th newest.
    const three = builds[2] as BuildSnapshot;
    const job: RepublishBuildJob = {
      buildId: three.build.id,
      republishSequence: 1,
      requestedAt: at(20),
      build: three.build,
      environment: { id: prod.environment.id, token: prod.environment.token, stage: 'production', libraryPath: prod.environment.libraryPath },
      host: { id: prod.host.id, type: 'akamai', name: 'Managed' },
    };
    await client.enqueue({ name: JobName.RepublishBuild, data: job });
    expect((await client.result<RepublishResult>(`result-republish-${three.build.id}-s1`)).status).toBe('succeeded');
    expect(await currentShows(prod)).toBe('3');
    const late = [8, 9].map((n) => buildOf(prod, n));
    for (const b of late) {
      await run(b);
    }
    expect(await currentShows(prod)).toBe('3');
    expect(await dirsOf(prod)).toEqual([...builds.slice(4), ...late, three].map((b) => b.build.token).sort());
    const minOfThree = await blobStore(env).get(`hosted/${prod.environment.libraryPath}/${three.build.token}/${baseName(prod)}.min.js`);
    expect(minOfThree.equals(await blobStore(env).get(`hosted/${prod.environment.libraryPath}/${baseName(prod)}.min.js`))).toBe(true);
  });

  it('two workers finishing builds of one environment together leave the newer current, with its directory', async () => {
    const dev = base('development');
    for (let round = 0; round < 4; round++) {
      const pair = [buildOf(dev, 100 + 2 * round), buildOf(dev, 101 + 2 * round)];
      const ordered = round % 2 === 0 ? pair : [...pair].reverse();
      await Promise.all(ordered.map((b) => client.enqueue({ name: JobName.BuildLibrary, data: { buildId: b.build.id, snapshot: b } })));
      for (const b of pair) {
        expect((await client.result<BuildResult>(`result-build-${b.build.id}`)).status).toBe('succeeded');
      }
      const newer = pair[1] as BuildSnapshot;
      expect(await currentShows(dev)).toBe(String(101 + 2 * round));
      // Keep 2: this round's pair, the previous rounds' directories deleted.
      expect(await dirsOf(dev)).toEqual(pair.map((b) => b.build.token).sort());
      expect(await dirsOf(dev)).toContain(newer.build.token);
    }
    const redis = new Redis(testRedisUrl());
    try {
      expect(await redis.keys(`${env.prefix}:deploy-lock:*`)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});

describe('RedisEnvironmentLock on real Redis', () => {
  const prefix = `test-lock-${hex(8)}`;
  const connections: Redis[] = [];
  const locks: RedisEnvironmentLock[] = [];
  const lockOn = (options: { ttlMs?: number; waitMs?: number } = {}) => {
    const redis = new Redis(testRedisUrl(), { lazyConnect: true });
    connections.push(redis);
    const lock = new RedisEnvironmentLock(redis, { prefix, ...options });
    locks.push(lock);
    return lock;
  };
  afterAll(async () => {
    await Promise.all(locks.map((l) => l.close()));
  });

  it('lets one holder at a time in across connections, and releases on failure', async () => {
    const [a, b] = [lockOn(), lockOn()];
    let inside = 0;
    let most = 0;
    const work = async () => {
      inside += 1;
      most = Math.max(most, inside);
      await new Promise((r) => setTimeout(r, 5));
      inside -= 1;
    };
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).run('env-1', work)));
    expect(most).toBe(1);
    await expect(a.run('env-1', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await b.run('env-1', () => Promise.resolve('after'))).toBe('after');
    expect(await connections[0]?.keys(`${prefix}:*`)).toEqual([]);
  });

  it('takes over a lock whose holder died once it expires, and gives up (retryable) past waitMs', async () => {
    const owner = lockOn();
    await owner.run('env-2', () => Promise.resolve());
    const redis = connections[connections.length - 1] as Redis;
    await redis.set(`${prefix}:deploy-lock:env-2`, 'dead worker', 'PX', 300);
    expect(await lockOn().run('env-2', () => Promise.resolve('taken over'))).toBe('taken over');
    await redis.set(`${prefix}:deploy-lock:env-3`, 'stuck worker', 'PX', 60_000);
    await expect(lockOn({ waitMs: 200 }).run('env-3', () => Promise.resolve())).rejects.toThrow(`deploy lock ${prefix}:deploy-lock:env-3 not acquired within 200 ms`);
    expect(await redis.get(`${prefix}:deploy-lock:env-3`)).toBe('stuck worker');
    await redis.del(`${prefix}:deploy-lock:env-3`);
  });

  it('reconnects after close, for a job that finishes during shutdown', async () => {
    const lock = lockOn();
    expect(await lock.run('env-4', () => Promise.resolve(1))).toBe(1);
    await lock.close();
    expect(await lock.run('env-4', () => Promise.resolve(2))).toBe(2);
    await lock.close();
  });
});
