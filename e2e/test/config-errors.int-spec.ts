import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, runToExit, type AppName } from './support/app-process';

/**
 * Bad configuration stops each built app at start-up with one message that names every bad or
 * missing variable, exit code 78 (EX_CONFIG), before it opens any port or connection.
 */
const EX_CONFIG = 78;

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'openexp-e2e-config-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const cases: Array<{ app: AppName; env: () => Record<string, string>; names: string[]; valid: string[] }> = [
  {
    app: 'reactor-api',
    env: () => ({ REACTOR_API_PORT: 'abc', REDIS_URL: 'redis://127.0.0.1:1', DATA_DIR: dir }),
    names: ['REACTOR_API_PORT'],
    valid: ['REDIS_URL'],
  },
  {
    app: 'reactor-api',
    env: () => ({ REACTOR_API_PORT: '70000', DATABASE_URL: 'mysql://db/x', PUBLIC_BASE_URL: 'not a url', DATA_DIR: dir }),
    names: ['REACTOR_API_PORT', 'DATABASE_URL', 'PUBLIC_BASE_URL', 'REDIS_URL'],
    valid: [],
  },
  {
    app: 'reactor-api',
    env: () => ({ REDIS_URL: 'redis://127.0.0.1:1', REACTOR_BOOTSTRAP_TOKEN: 'short', DATA_DIR: dir }),
    names: ['REACTOR_BOOTSTRAP_TOKEN', 'REACTOR_BOOTSTRAP_ORG'],
    valid: ['REACTOR_API_PORT'],
  },
  {
    app: 'image-server',
    env: () => ({ IMAGE_SERVER_PORT: 'abc', IS_ROOT_PATH: dir }),
    names: ['IMAGE_SERVER_PORT', 'IS_CATALOG_ROOT'],
    valid: ['IS_ROOT_PATH'],
  },
  {
    app: 'image-server',
    env: () => ({ IS_CATALOG_ROOT: dir, IS_ROOT_PATH: dir, IS_STATUS_NOT_FOUND: '500', LOG_LEVEL: 'loud' }),
    names: ['IS_STATUS_NOT_FOUND', 'LOG_LEVEL'],
    valid: ['IS_CATALOG_ROOT'],
  },
  {
    app: 'build-worker',
    env: () => ({ REDIS_URL: 'http://127.0.0.1:6379', WORKER_BUILD_CONCURRENCY: '0', BLOB_ROOT: dir }),
    names: ['REDIS_URL', 'WORKER_BUILD_CONCURRENCY'],
    valid: ['BLOB_ROOT'],
  },
  {
    app: 'build-worker',
    env: () => ({ REDIS_URL: 'redis://127.0.0.1:1', WORKER_PROBE_PORT: 'eighty', BLOB_ROOT: dir }),
    names: ['WORKER_PROBE_PORT'],
    valid: ['REDIS_URL'],
  },
];

describe('bad configuration stops the built app with a message naming the variables', () => {
  it.each(cases.map((c) => [c.app, c.names.join(', '), c] as const))('%s: %s', async (app, _names, c) => {
    const result = await runToExit(app, cleanEnv(c.env()));
    expect({ code: result.code, signal: result.signal }).toEqual({ code: EX_CONFIG, signal: null });
    expect(result.stderr).toContain(`${app}: invalid configuration`);
    const problemLines = result.stderr.split('\n').filter((l) => l.trim().startsWith('- '));
    for (const name of c.names) {
      expect(problemLines.some((l) => l.includes(name))).toBe(true);
    }
    for (const name of c.valid) {
      expect(problemLines.some((l) => l.includes(name))).toBe(false);
    }
    // It stopped before starting anything: no "listening"/"started" log line.
    expect(result.stdout).not.toMatch(/listening|started/);
  });
});
