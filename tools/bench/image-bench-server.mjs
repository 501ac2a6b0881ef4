// What the image benchmarks that run one image server on a catalog of their own share: command-line
// options, a free port, a process's CPU time, and starting the server (from the TypeScript sources
// through the loader the tests use, or a built bundle given with --main).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `--name=value` and `--flag` arguments as an object (a bare flag is `'true'`). */
export function parseArgs(argv = process.argv.slice(2)) {
  return Object.fromEntries(
    argv.map((a) => {
      const [k, v] = a.replace(/^--/, '').split('=');
      return [k, v ?? 'true'];
    }),
  );
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
    srv.on('error', rej);
  });
}

/** CPU time (user + system, ms) a process has used so far. */
export function cpuMsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Starts an image server on 127.0.0.1 with `env` added to this process's environment (the catalog
 * root, root path and settings of the benchmark), from `main` (a bundle) or, when it is undefined,
 * from the sources. Resolves to `{ child, base }` once it answers; the child is killed when this
 * process exits.
 */
export async function startImageServer(env, main) {
  const port = main === undefined ? 0 : await freePort();
  const entry = main ?? join(ROOT, 'apps', 'image-server', 'test', 'support', 'server-process.js');
  const child = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env: { ...process.env, IMAGE_SERVER_PORT: String(port), IMAGE_SERVER_HOST: '127.0.0.1', LOG_LEVEL: 'warn', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  process.on('exit', () => child.kill('SIGKILL'));
  let err = '';
  child.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
  const base = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not start: ${err}`)), 120_000);
    child.once('exit', (code) => rej(new Error(`server exited with ${code}: ${err}`)));
    if (main === undefined) {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const m = /listening (\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          res(m[1].replace('[::1]', '127.0.0.1'));
        }
      });
      return;
    }
    const poll = async () => {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) {
          clearTimeout(timer);
          res(`http://127.0.0.1:${port}`);
          return;
        }
      } catch {
        // not up yet
      }
      setTimeout(poll, 200);
    };
    void poll();
  });
  return { child, base };
}
