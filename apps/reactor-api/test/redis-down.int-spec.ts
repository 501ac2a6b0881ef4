import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { ResultsProcessor } from '../src/results/results.processor';
import { TestApi, createLibrary, createProperty, createAkamaiHost, createEnvironment, dataOf, expectError } from './harness';

interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** A throwaway redis-server of our own, so the test can stop it. */
async function startRedis(fixedPort?: number): Promise<PrivateRedis> {
  const port = fixedPort ?? (await freePort());
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) {
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/* With Redis gone, requests that enqueue fail fast with 503 and leave no pending row behind. */
describe('reactor-api without Redis', () => {
  const api = new TestApi();
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await startRedis();
    await api.start({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await api.stop();
    await redis.stop();
  });

  it('503 service-unavailable on build and SFTP host creation; the rows are marked failed, not pending', async () => {
    const property = await createProperty(api);
    const host = await createAkamaiHost(api, property);
    const env = await createEnvironment(api, property, host, 'development');
    const library = await createLibrary(api, property);
    await api.patch(`/libraries/${library}/relationships/environment`, { data: { id: env, type: 'environments' } });
    await redis.stop();
    expectError(await api.post(`/libraries/${library}/builds`), 503, 'service-unavailable');
    const builds = dataOf<Array<{ attributes: { status: string }; meta: { status_details: { errors: Array<{ code: string }> } } }>>(await api.get(`/libraries/${library}/builds`));
    expect(builds).toHaveLength(1);
    expect(builds[0]?.attributes.status).toBe('failed');
    expect(builds[0]?.meta.status_details.errors[0]?.code).toBe('internal-error');
    const sftp = { data: { type: 'hosts', attributes: { name: 'S', type_of: 'sftp', server: 'h', path: '/p', port: 22, username: 'u' } } };
    expectError(await api.post(`/properties/${property}/hosts`, sftp), 503, 'service-unavailable', sftp);
    const hosts = dataOf<Array<{ attributes: { type_of: string; status: string } }>>(await api.get(`/properties/${property}/hosts?filter[type_of]=EQ sftp`));
    expect(hosts.map((h) => h.attributes.status)).toEqual(['failed']);
    const ready = await fetch(`${api.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    // Redis comes back: the same request now succeeds without restarting the API.
    redis = await startRedis(Number(new URL(redis.url).port));
    let created = await api.post(`/libraries/${library}/builds`);
    for (let i = 0; i < 50 && created.status === 503; i++) {
      await new Promise((r) => setTimeout(r, 200));
      created = await api.post(`/libraries/${library}/builds`);
    }
    expect(dataOf<{ attributes: { status: string } }>(created, 201).attributes.status).toBe('pending');
  });
});

/*
 * SIGTERM while Redis is down: main.ts exits 0 only if app.close() resolves. BullMQ's own closes
 * would reject (QUIT on a producer connection without an offline queue) or wait for Redis forever.
 */
describe('reactor-api shutdown without Redis', () => {
  it('app.close() resolves, and the process can exit, while Redis is down', async () => {
    const redis = await startRedis();
    const api = new TestApi();
    await api.start({ REDIS_URL: redis.url });
    try {
      await api.app.get(ResultsProcessor).worker.waitUntilReady();
      await redis.stop();
      await expect(api.app.close()).resolves.toBeUndefined();
    } finally {
      await api.stop().catch(() => undefined);
    }
  });
});
