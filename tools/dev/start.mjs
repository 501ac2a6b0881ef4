#!/usr/bin/env node
// `npm start`: the whole stack on one machine, on embedded defaults.
//
//   1. installs what is missing (npm ci; Debian's redis-server when root, else says how),
//   2. builds the three apps with Nx (cached: a second start rebuilds nothing),
//   3. starts a private redis-server unless REDIS_URL is set (state kept in ./data/redis),
//      reactor-api on PGlite under ./data unless DATABASE_URL is set, the image server on the
//      sample catalog, and the build worker,
//   4. waits for every /readyz, then prints the URLs, the bootstrap token, an image URL and a curl.
//
// Ctrl-C or SIGTERM stops everything: every child runs in its own process group, which is
// signalled as a whole (SIGTERM, then SIGKILL after a grace period).
//
// Options: --skip-build (use dist/ as it is), --raw-logs (print the apps' JSON log lines as they are).
// Environment: REDIS_URL, DATABASE_URL, IMAGE_SERVER_PORT, REACTOR_API_PORT, WORKER_PROBE_PORT,
// IS_CATALOG_ROOT, IS_ROOT_PATH, DATA_DIR, LOG_LEVEL, REACTOR_BOOTSTRAP_TOKEN/ORG: taken as given.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianTools, ensureNodeModules, findTool } from './prerequisites.mjs';
import { ManagedProcess, paint } from './processes.mjs';
import { findWorkingImageUrl } from './sample-image.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const APPS = ['image-server', 'reactor-api', 'build-worker'];
const READY_TIMEOUT_MS = 90_000;
const args = new Set(process.argv.slice(2));
const env = process.env;

const say = (line = '') => process.stdout.write(`${paint(1, '[start]')}        ${line}\n`);
const fail = (line) => {
  process.stderr.write(`${paint(31, '[start]')}        ${line}\n`);
};

if (args.has('--help') || args.has('-h')) {
  process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 17).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
  process.exit(0);
}

function portIsFree(port) {
  return new Promise((resolvePort) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolvePort(false);
    });
    socket.once('error', () => resolvePort(true));
  });
}

async function choosePort(variable, preferred) {
  if (env[variable]) {
    return Number(env[variable]);
  }
  if (await portIsFree(preferred)) {
    return preferred;
  }
  const { freePort } = await import('../test/redis-server.mjs');
  const port = await freePort();
  say(`port ${preferred} is taken: ${variable}=${port}`);
  return port;
}

/** The bootstrap identity, generated once and kept in DATA_DIR so the token survives restarts. */
function bootstrapIdentity(dataDir) {
  if (env.REACTOR_BOOTSTRAP_TOKEN && env.REACTOR_BOOTSTRAP_ORG) {
    return { token: env.REACTOR_BOOTSTRAP_TOKEN, org: env.REACTOR_BOOTSTRAP_ORG };
  }
  const file = join(dataDir, 'dev-bootstrap.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof saved.token === 'string' && typeof saved.org === 'string') {
      return saved;
    }
  }
  const identity = {
    token: `oxp_dev_${randomBytes(24).toString('base64url')}`,
    org: `${randomBytes(12).toString('hex').toUpperCase()}@AdobeOrg`,
  };
  writeFileSync(`${file}.tmp`, `${JSON.stringify(identity, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return identity;
}

async function waitForListening(port, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!child.running) {
      return false;
    }
    if (!(await portIsFree(port))) {
      return true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Polls /readyz until 200; rejects if the process exits first or time runs out. */
async function waitForReady(name, url, child, deadline) {
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!child.running) {
      throw new Error(`${name} exited before it was ready`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const body = await res.text();
      if (res.status === 200) {
        return;
      }
      last = `${res.status} ${body.slice(0, 200)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} not ready within ${READY_TIMEOUT_MS / 1000} s (${url}: ${last})`);
}

const children = [];
let stopping = false;

// A separate process that stops the children's groups if this launcher dies without cleaning up
// (SIGKILL, a crash): it holds the read end of a pipe that closes when we are gone.
const reaper = spawn(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'reaper.mjs')], {
  detached: true,
  stdio: ['pipe', 'ignore', 'inherit'],
});
reaper.unref();
const watch = (child) => {
  children.push(child);
  if (child.child?.pid !== undefined) {
    reaper.stdin.write(`${child.child.pid}\n`);
  }
  return child;
};

async function stopAll(exitCode) {
  if (stopping) {
    return;
  }
  stopping = true;
  say('stopping…');
  // Apps first (they drain work and close their Redis connections), Redis last.
  const apps = children.filter((c) => c.name !== 'redis');
  await Promise.all(apps.map((c) => c.stop(20_000)));
  await Promise.all(children.filter((c) => c.name === 'redis').map((c) => c.stop(5_000)));
  // The reaper finds nothing left and exits; wait for it, so that "no process left behind" is true
  // when it is printed (the reaper shares our environment, DATA_DIR included).
  const reaperGone = reaper.exitCode !== null || reaper.signalCode !== null ? Promise.resolve() : new Promise((resolve) => reaper.once('exit', resolve));
  reaper.stdin.end();
  await Promise.race([reaperGone, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  const left = children.filter((c) => c.groupAlive());
  if (left.length > 0) {
    fail(`process groups still alive after SIGKILL: ${left.map((c) => `${c.name} (pgid ${c.child.pid})`).join(', ')}`);
  } else {
    say('stopped; no process left behind');
  }
  process.exit(exitCode);
}

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
]) {
  process.on(signal, () => {
    if (stopping) {
      // A second Ctrl-C: no more waiting.
      for (const c of children) {
        c.signalGroup('SIGKILL');
      }
      process.exit(code);
    }
    void stopAll(code);
  });
}

// `npm start` runs us under `sh -c`; a SIGTERM sent to npm kills that shell and orphans us. Notice
// the new parent and stop, so no stack outlives the command that started it.
const parentAtStart = process.ppid;
setInterval(() => {
  if (process.ppid !== parentAtStart && !stopping) {
    say('the parent process is gone');
    void stopAll(143);
  }
}, 500).unref();

async function main() {
  const startedAt = Date.now();
  if (!ensureNodeModules(ROOT, say)) {
    fail('npm ci failed');
    process.exit(1);
  }
  if (!env.REDIS_URL && !ensureDebianTools(['redis-server'], say)) {
    fail('or set REDIS_URL to a running Redis (6.2 or later) and run npm start again');
    process.exit(1);
  }

  if (!args.has('--skip-build')) {
    say('building the apps (nx, cached)…');
    const build = spawnSync(join(ROOT, 'node_modules/.bin/nx'), ['run-many', '-t', 'build', '-p', APPS.join(','), '--outputStyle=static'], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true' },
    });
    if (build.status !== 0) {
      fail('the build failed (see above)');
      process.exit(1);
    }
  }
  for (const app of APPS) {
    if (!existsSync(join(ROOT, 'dist/apps', app, 'main.js'))) {
      fail(`dist/apps/${app}/main.js is missing: run without --skip-build`);
      process.exit(1);
    }
  }

  const upFrom = Date.now();
  const dataDir = resolve(ROOT, env.DATA_DIR ?? 'data');
  mkdirSync(dataDir, { recursive: true });
  const identity = bootstrapIdentity(dataDir);
  const catalogRoot = resolve(ROOT, env.IS_CATALOG_ROOT ?? 'samples/catalog');
  const rootPath = resolve(ROOT, env.IS_ROOT_PATH ?? 'samples/images');
  if (!existsSync(join(catalogRoot, 'default.ini'))) {
    say(paint(33, `warning: ${join(catalogRoot, 'default.ini')} does not exist; the image server will refuse to start without a catalog`));
  }

  let redisUrl = env.REDIS_URL;
  if (!redisUrl) {
    const { freePort } = await import('../test/redis-server.mjs');
    const port = await freePort();
    const redisDir = join(dataDir, 'redis');
    mkdirSync(redisDir, { recursive: true });
    // Queued builds survive a restart of the dev stack: append-only file in ./data/redis.
    const redis = new ManagedProcess({
      name: 'redis',
      command: findTool('redis-server'),
      args: ['--port', String(port), '--bind', '127.0.0.1', '--dir', redisDir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction', '--daemonize', 'no', '--loglevel', 'warning'],
      cwd: ROOT,
      env,
      colourIndex: 5,
    }).start();
    watch(redis);
    if (!(await waitForListening(port, redis, 10_000))) {
      fail(`redis-server did not start:\n${redis.tail.join('\n')}`);
      await stopAll(1);
      return;
    }
    redisUrl = `redis://127.0.0.1:${port}`;
  }

  const imagePort = await choosePort('IMAGE_SERVER_PORT', 8080);
  const reactorPort = await choosePort('REACTOR_API_PORT', 3000);
  const probePort = env.WORKER_PROBE_PORT ? Number(env.WORKER_PROBE_PORT) : await (await import('../test/redis-server.mjs')).freePort();
  const publicBaseUrl = env.PUBLIC_BASE_URL ?? `http://localhost:${reactorPort}`;
  const blobRoot = resolve(ROOT, env.BLOB_ROOT ?? join(dataDir, 'blobs'));

  const common = { ...env, REDIS_URL: redisUrl, LOG_LEVEL: env.LOG_LEVEL ?? 'info', DATA_DIR: dataDir, BLOB_ROOT: blobRoot };
  const appEnv = {
    'image-server': { ...common, IMAGE_SERVER_PORT: String(imagePort), IS_CATALOG_ROOT: catalogRoot, IS_ROOT_PATH: rootPath },
    'reactor-api': {
      ...common,
      REACTOR_API_PORT: String(reactorPort),
      PUBLIC_BASE_URL: publicBaseUrl,
      REACTOR_BOOTSTRAP_TOKEN: identity.token,
      REACTOR_BOOTSTRAP_ORG: identity.org,
    },
    'build-worker': { ...common, WORKER_PROBE_PORT: String(probePort) },
  };
  APPS.forEach((app, i) => {
    watch(
      new ManagedProcess({
        name: app,
        command: process.execPath,
        args: ['--enable-source-maps', join(ROOT, 'dist/apps', app, 'main.js')],
        cwd: ROOT,
        env: appEnv[app],
        colourIndex: i,
        rawLogs: args.has('--raw-logs'),
      }).start(),
    );
  });

  const readyz = {
    'image-server': `http://127.0.0.1:${imagePort}/readyz`,
    'reactor-api': `http://127.0.0.1:${reactorPort}/readyz`,
    'build-worker': `http://127.0.0.1:${probePort}/readyz`,
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    const exits = children.map((c) => c.exited.then(({ code, signal }) => Promise.reject(new Error(`${c.name} exited (${signal ?? `code ${code}`})`))));
    await Promise.race([Promise.all(APPS.map((app) => waitForReady(app, readyz[app], children.find((c) => c.name === app), deadline))), ...exits]);
  } catch (error) {
    if (!stopping) {
      fail(error instanceof Error ? error.message : String(error));
      await stopAll(1);
    }
    return;
  }
  // From now on an app that dies takes the stack down with it, loudly.
  for (const c of children) {
    void c.exited.then(({ code, signal }) => {
      if (!stopping) {
        fail(`${c.name} exited unexpectedly (${signal ?? `code ${code}`}); stopping the stack`);
        void stopAll(1);
      }
    });
  }

  const imageBase = `http://localhost:${imagePort}`;
  const probed = await findWorkingImageUrl(`http://127.0.0.1:${imagePort}`, catalogRoot, rootPath);
  const imageUrl = probed?.replace(`http://127.0.0.1:${imagePort}`, imageBase);
  const curl = [
    `curl -s ${publicBaseUrl}/companies`,
    `-H 'Authorization: Bearer ${identity.token}'`,
    `-H 'x-api-key: Activation-DTM'`,
    `-H 'x-gw-ims-org-id: ${identity.org}'`,
    `-H 'Accept: application/vnd.api+json;revision=1'`,
  ].join(' \\\n    ');
  let curlCheck = '';
  try {
    const res = await fetch(`http://127.0.0.1:${reactorPort}/companies`, {
      headers: { authorization: `Bearer ${identity.token}`, 'x-api-key': 'Activation-DTM', 'x-gw-ims-org-id': identity.org, accept: 'application/vnd.api+json;revision=1' },
      signal: AbortSignal.timeout(5000),
    });
    await res.text();
    curlCheck = `(checked: ${res.status} ${res.headers.get('content-type') ?? ''})`;
  } catch (error) {
    curlCheck = `(check failed: ${error instanceof Error ? error.message : String(error)})`;
  }

  const line = '─'.repeat(72);
  const up = ((Date.now() - upFrom) / 1000).toFixed(1);
  const total = ((Date.now() - startedAt) / 1000).toFixed(1);
  process.stdout.write(
    [
      '',
      paint(32, line),
      paint(1, `  The stack is up (${up} s after the build, ${total} s in all). Ctrl-C stops everything.`),
      '',
      `  image-server   ${imageBase}          /healthz /readyz /metrics`,
      `  reactor-api    ${publicBaseUrl}          /healthz /readyz /metrics`,
      `  build-worker   http://localhost:${probePort}          /healthz /readyz /metrics (probe)`,
      `  redis          ${redisUrl}${env.REDIS_URL ? '' : ' (private, data in ' + join(dataDir, 'redis') + ')'}`,
      `  database       ${env.DATABASE_URL ? env.DATABASE_URL.replace(/\/\/[^@/]*@/, '//…@') : `PGlite under ${dataDir}`}`,
      '',
      `  bootstrap org    ${identity.org}`,
      `  bootstrap token  ${identity.token}`,
      `                   (kept in ${join(dataDir, 'dev-bootstrap.json')}; delete it to get a new one)`,
      '',
      `  open an image:   ${imageUrl ?? paint(33, `(no sample image answered with a JPEG; catalogs in ${catalogRoot})`)}`,
      '',
      `  ask reactor-api ${curlCheck}:`,
      `    ${curl}`,
      paint(32, line),
      '',
    ].join('\n'),
  );
}

main().catch(async (error) => {
  fail(error instanceof Error ? (error.stack ?? error.message) : String(error));
  await stopAll(1);
});
