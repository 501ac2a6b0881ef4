import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { cleanEnv, freePort, RunningApp } from './app-process';
import { ReactorClient } from './reactor-client';

/**
 * reactor-api and build-worker, built, as child processes: a private Redis from the global setup
 * (with a BullMQ prefix of their own), PGlite in a temp folder or — when TEST_DATABASE_URL is set
 * — a fresh schema on that PostgreSQL, a temp blob store and data folder, random ports.
 */
export interface ReactorStack {
  baseUrl: string;
  org: string;
  token: string;
  client: ReactorClient;
  reactorApi: RunningApp;
  buildWorker: RunningApp;
  dir: string;
  /** Redis and BullMQ prefix the apps share, for tests that look at the queues themselves. */
  redisUrl: string;
  queuePrefix: string;
  /** Stops one app (SIGTERM) without touching the other, Redis or the data. */
  stopApp(app: 'reactorApi' | 'buildWorker'): Promise<void>;
  /** Starts a stopped app again with the same configuration and waits until it is ready. */
  startApp(app: 'reactorApi' | 'buildWorker'): Promise<void>;
  stop(): Promise<void>;
}

/** Extra environment per app (e.g. short SFTP timeouts for the worker, allowed SFTP ports for the API). */
export interface StackOverrides {
  reactorApi?: Record<string, string>;
  buildWorker?: Record<string, string>;
}

export async function startReactorStack(overrides: StackOverrides = {}): Promise<ReactorStack> {
  const redisUrl = process.env.TEST_REDIS_URL;
  if (!redisUrl) {
    throw new Error('TEST_REDIS_URL is not set: run through the e2e Jest config (tools/test/global-setup.js starts a private Redis)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'openexp-e2e-'));
  const dataDir = join(dir, 'data');
  const blobRoot = join(dir, 'blobs');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(blobRoot, { recursive: true });
  const queuePrefix = `test-${randomUUID()}`;
  const token = `e2e_${randomBytes(24).toString('hex')}`;
  const org = `${randomBytes(12).toString('hex').toUpperCase()}@AdobeOrg`;
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const schema = databaseUrl ? `e2e_${randomBytes(8).toString('hex')}` : undefined;
  const port = await freePort();
  const probePort = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const shared = { REDIS_URL: redisUrl, QUEUE_PREFIX: queuePrefix, DATA_DIR: dataDir, BLOB_ROOT: blobRoot, LOG_LEVEL: 'info' };

  const reactorEnv = cleanEnv({
    ...shared,
    REACTOR_API_PORT: String(port),
    REACTOR_API_HOST: '127.0.0.1',
    PUBLIC_BASE_URL: baseUrl,
    DATABASE_URL: databaseUrl,
    DATABASE_SCHEMA: schema,
    REACTOR_BOOTSTRAP_TOKEN: token,
    REACTOR_BOOTSTRAP_ORG: org,
    ...overrides.reactorApi,
  });
  const workerEnv = cleanEnv({ ...shared, WORKER_PROBE_PORT: String(probePort), ...overrides.buildWorker });
  const apps = {
    reactorApi: RunningApp.start('reactor-api', reactorEnv),
    buildWorker: RunningApp.start('build-worker', workerEnv),
  };
  const readyUrl = { reactorApi: `${baseUrl}/readyz`, buildWorker: `http://127.0.0.1:${probePort}/readyz` };

  const stop = async (): Promise<void> => {
    await Promise.all([apps.reactorApi.stop(), apps.buildWorker.stop()]);
    if (databaseUrl && schema) {
      const pg = new Client({ connectionString: databaseUrl });
      await pg.connect();
      try {
        await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await pg.end();
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await Promise.all([apps.reactorApi.waitForReady(readyUrl.reactorApi), apps.buildWorker.waitForReady(readyUrl.buildWorker)]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    baseUrl,
    org,
    token,
    client: new ReactorClient(baseUrl, token),
    get reactorApi() {
      return apps.reactorApi;
    },
    get buildWorker() {
      return apps.buildWorker;
    },
    dir,
    redisUrl,
    queuePrefix,
    async stopApp(app) {
      await apps[app].stop();
    },
    async startApp(app) {
      apps[app] = RunningApp.start(app === 'reactorApi' ? 'reactor-api' : 'build-worker', app === 'reactorApi' ? reactorEnv : workerEnv);
      await apps[app].waitForReady(readyUrl[app]);
    },
    stop,
  };
}
