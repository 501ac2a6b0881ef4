// Starts a private redis-server on a free loopback port (no persistence), for the dev launcher and
// the tests when no REDIS_URL is given. Debian's `redis-server` must be installed.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REAPER = join(dirname(fileURLToPath(import.meta.url)), '../dev/reaper.mjs');

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function findRedisServer() {
  for (const candidate of ['redis-server', '/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
    const r = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) {
      return candidate;
    }
  }
  return undefined;
}

function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.end();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) {
          reject(new Error(`redis-server did not listen on ${port} within ${timeoutMs} ms`));
        } else {
          setTimeout(attempt, 50);
        }
      });
    };
    attempt();
  });
}

/** Returns { url, stop() }. */
export async function startPrivateRedis({ quiet = true } = {}) {
  const bin = findRedisServer();
  if (!bin) {
    throw new Error(
      'redis-server is not installed. Install it with `apt-get install -y redis-server` (Debian), or set REDIS_URL to a running Redis.',
    );
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'openexp-redis-'));
  // Its own process group, watched by a reaper that holds a pipe from this process: if this
  // process dies without calling stop() (a crashed Jest run, a killed benchmark), the pipe closes
  // and the reaper stops the server and deletes its folder.
  const child = spawn(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--maxmemory-policy', 'noeviction', '--daemonize', 'no'],
    { stdio: quiet ? 'ignore' : 'inherit', detached: true },
  );
  const reaper = spawn(process.execPath, [REAPER], { detached: true, stdio: ['pipe', 'ignore', 'inherit'] });
  reaper.unref();
  reaper.stdin.on('error', () => undefined);
  reaper.stdin.write(`${child.pid}\nrm ${dir}\n`);
  // The pipe must not keep this process alive; it closes when the process ends, whatever the cause.
  reaper.stdin.unref?.();
  await waitForPort(port, 10000);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    child,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000).unref())]);
        if (child.exitCode === null) {
          child.kill('SIGKILL');
        }
      }
      rmSync(dir, { recursive: true, force: true });
      // Closing the pipe tells the reaper we are done; it finds nothing left and exits. Wait for
      // that, so that a caller who checks "no process left" right after stop() finds none.
      const reaperGone = reaper.exitCode !== null || reaper.signalCode !== null ? Promise.resolve() : new Promise((resolve) => reaper.once('exit', resolve));
      reaper.stdin.end();
      await Promise.race([reaperGone, new Promise((r) => setTimeout(r, 5000).unref())]);
    },
  };
}
