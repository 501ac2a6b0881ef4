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

const REPLICAS = ['image-server-a', 'image-server-b'];

/** The text of one top-level service of compose.yaml (its indented block), '' when there is none. */
function service(compose: string, name: string): string {
  const start = compose.search(new RegExp(`^ {2}${name}:\\s*$`, 'm'));
  if (start < 0) {
    return '';
  }
  const rest = compose.slice(compose.indexOf('\n', start) + 1);
  const end = rest.search(/^ {0,2}[^\s#]/m);
  return end < 0 ? rest : rest.slice(0, end);
}

/** `source:target` volume mounts of a service block, as [source, target] pairs. */
function mounts(block: string): [string, string][] {
  return [...block.matchAll(/^\s+- ([^\s:]+):([^\s:]+)(?::ro)?\s*$/gm)].map((m) => [m[1] as string, m[2] as string]);
}

/** The value a service block sets for an environment variable (quotes removed). */
function envOf(block: string, name: string): string | undefined {
  return new RegExp(`^\\s+${name}:\\s*"?([^"\\s]+)"?\\s*$`, 'm').exec(block)?.[1];
}

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

  it('has Redis, PostgreSQL, an SFTP server and the three apps (the image server as two replicas)', () => {
    const services = [...text.matchAll(/^ {2}([a-z][a-z0-9-]*):\s*$/gm)].map((m) => m[1]);
    expect(services).toEqual(expect.arrayContaining(['redis', 'postgres', 'sftp', 'reactor-api', 'build-worker', ...REPLICAS]));
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

describe('docker/compose.yaml: image serving on shared storage (issue 17)', () => {
  const text = readFileSync(join(DOCKER, 'compose.yaml'), 'utf8');
  const [a, b] = REPLICAS.map((r) => service(text, r)) as [string, string];
  const worker = service(text, 'build-worker');
  const sharedVolume = (block: string): string | undefined => mounts(block).find(([, target]) => target === envOf(block, 'IS_CATALOG_ROOT')?.replace(/\/[^/]+$/, ''))?.[0];

  it('runs two image-server replicas built from the image server Dockerfile', () => {
    for (const block of [a, b]) {
      expect(block).toContain('dockerfile: docker/image-server.Dockerfile');
    }
  });

  it('mounts one shared volume at the same path in both replicas and the worker, and the folders agree', () => {
    const volume = sharedVolume(a);
    expect(volume).toBeDefined();
    expect(text).toMatch(new RegExp(`^volumes:[\\s\\S]*^ {2}${volume}:\\s*$`, 'm'));
    const target = mounts(a).find(([source]) => source === volume)?.[1];
    for (const block of [b, worker]) {
      expect(mounts(block)).toContainEqual([volume, target]);
    }
    for (const block of [a, b]) {
      expect(envOf(block, 'IS_CATALOG_ROOT')).toBe(envOf(worker, 'ASSET_CATALOG_ROOT'));
      expect(envOf(block, 'IS_ROOT_PATH')).toBe(envOf(worker, 'ASSET_ROOT_PATH'));
    }
    for (const path of ['ASSET_CATALOG_ROOT', 'ASSET_ROOT_PATH', 'ASSET_STAGING_DIR'].map((n) => envOf(worker, n) ?? '')) {
      expect(path.startsWith(`${target}/`)).toBe(true);
    }
  });

  it('the management API stages uploads where the worker reads them, and is published on its own port', () => {
    const withApi = [a, b].filter((block) => envOf(block, 'IS_API_PORT') !== undefined);
    expect(withApi.length).toBeGreaterThanOrEqual(1);
    for (const block of withApi) {
      expect(envOf(block, 'IS_API_STAGING_DIR')).toBe(envOf(worker, 'ASSET_STAGING_DIR'));
      expect(envOf(block, 'IS_API_HOST')).toBe('0.0.0.0');
      expect(block).toContain(`"${envOf(block, 'IS_API_PORT')}:${envOf(block, 'IS_API_PORT')}"`);
    }
  });

  it('gives each replica its own level cache volume, shared with nothing else', () => {
    const levels = [a, b].map((block) => {
      const dir = envOf(block, 'IS_LEVEL_CACHE_DIR');
      expect(dir).toBeDefined();
      const mount = mounts(block).find(([, target]) => target === dir);
      expect(mount).toBeDefined();
      return mount?.[0];
    });
    expect(new Set(levels).size).toBe(2);
    const everyMount = [...text.matchAll(/^\s+- ([^\s:]+):/gm)].map((m) => m[1]);
    for (const volume of levels) {
      expect(everyMount.filter((v) => v === volume)).toHaveLength(1);
    }
  });

  it('puts a proxy in front whose upstreams name both replicas (public port only) and publishes no replica port 8080', () => {
    const proxy = service(text, 'image-proxy');
    expect(proxy).toContain('./nginx.conf:/etc/nginx/nginx.conf:ro');
    expect(proxy).toContain('"8080:8080"');
    const conf = readFileSync(join(DOCKER, 'nginx.conf'), 'utf8');
    const upstream = /upstream (\w+) \{([^}]*)\}/.exec(conf);
    const servers = [...(upstream?.[2] ?? '').matchAll(/^\s*server ([\w.-]+):(\d+)/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(servers.sort()).toEqual(REPLICAS.map((r) => `${r}:${envOf(service(text, r), 'IMAGE_SERVER_PORT')}`));
    expect(conf).toContain(`proxy_pass http://${upstream?.[1]};`);
    expect(conf).not.toMatch(/:8081\b/);
    for (const block of [a, b]) {
      expect(block).not.toContain('"8080:8080"');
    }
  });
});
