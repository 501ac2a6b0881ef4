// Starts a private redis-server on a free loopback port (no persistence), for the dev launcher and
// the tests when no REDIS_URL is given. Debian's `redis-server` must be installed.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  const child = spawn(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--maxmemory-policy', 'noeviction', '--daemonize', 'no'],
    { stdio: quiet ? 'ignore' : 'inherit', detached: false },
  );
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
    },
  };
}
