import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * docker/ cannot be run on the machines the tests run on (no Docker engine), so its contract is
 * checked statically: multi-stage, non-root images with a health check for every app, Redis as
 * BullMQ needs it, and a compose file whose app settings are real configuration variables.
 */
const ROOT = resolve(__dirname, '../../..');
const DOCKER = join(ROOT, 'docker');
const APPS = ['image-server', 'reactor-api', 'build-worker'];

function configVariables(): Set<string> {
  const names = new Set<string>();
  for (const app of APPS) {
    const dir = join(ROOT, 'apps', app, 'src', 'config');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.config.ts'))) {
      for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/^\s+([A-Z][A-Z0-9_]{2,}):\s/gm)) {
        names.add(m[1] as string);
      }
    }
  }
  return names;
}

describe.each(APPS)('docker/%s.Dockerfile', (app) => {
  const text = readFileSync(join(DOCKER, `${app}.Dockerfile`), 'utf8');
  const stages = text.split(/^FROM /m).slice(1);
  const runtime = stages[stages.length - 1] ?? '';

  it('builds the app with Nx in a builder stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(new RegExp(`RUN npx nx build ${app}\\b`));
  });

  it('runs on node:20-bookworm-slim as the non-root node user, from the built main.js', () => {
    expect(runtime.startsWith('node:20-bookworm-slim')).toBe(true);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toContain(`/dist/apps/${app} ./dist`);
    expect(runtime).toMatch(/^CMD \["node", .*"dist\/main\.js"\]$/m);
  });

  it('has a HEALTHCHECK on /healthz', () => {
    expect(runtime).toMatch(/^HEALTHCHECK [\s\S]*\/healthz/m);
  });

  it('has a Dockerfile-specific ignore file that keeps local state out of the context', () => {
    const ignore = readFileSync(join(DOCKER, `${app}.Dockerfile.dockerignore`), 'utf8').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', 'dist', 'data', '.git']));
  });
});

describe('docker/reactor-api.Dockerfile', () => {
  it('ships the core extension package that reactor-api seeds at start-up', () => {
    expect(readFileSync(join(DOCKER, 'reactor-api.Dockerfile'), 'utf8')).toMatch(/^COPY --from=builder .*\/src\/extensions \.\/extensions$/m);
  });
});

describe('docker/redis.conf', () => {
  it('never evicts keys and keeps an append-only file (BullMQ production guide)', () => {
    const conf = readFileSync(join(DOCKER, 'redis.conf'), 'utf8');
    expect(conf).toMatch(/^maxmemory-policy noeviction$/m);
    expect(conf).toMatch(/^appendonly yes$/m);
  });
});

describe('docker/compose.yaml', () => {
  const text = readFileSync(join(DOCKER, 'compose.yaml'), 'utf8');

  it('has Redis, PostgreSQL, an SFTP server and the three apps', () => {
    const services = [...text.matchAll(/^ {2}([a-z][a-z0-9-]*):\s*$/gm)].map((m) => m[1]);
    expect(services).toEqual(expect.arrayContaining(['redis', 'postgres', 'sftp', ...APPS]));
  });

  it('builds every app from its Dockerfile', () => {
    for (const app of APPS) {
      expect(text).toContain(`dockerfile: docker/${app}.Dockerfile`);
      expect(existsSync(join(DOCKER, `${app}.Dockerfile`))).toBe(true);
    }
  });

  it('sets only configuration variables the apps know (a typo would be silently ignored)', () => {
    const known = configVariables();
    const set = [...text.matchAll(/^\s+([A-Z][A-Z0-9_]{2,}):/gm)].map((m) => m[1] as string).filter((n) => !n.startsWith('POSTGRES_'));
    expect(set.length).toBeGreaterThan(5);
    expect(set.filter((n) => !known.has(n))).toEqual([]);
  });
});
