import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** Repository root (e2e/test/support → ../../..). */
export const ROOT = resolve(__dirname, '../../..');

export type AppName = 'image-server' | 'reactor-api' | 'build-worker';

/** The built entry point of an app; the e2e target depends on the apps' build. */
export function mainOf(app: AppName): string {
  const main = join(ROOT, 'dist/apps', app, 'main.js');
  if (!existsSync(main)) {
    throw new Error(`${main} is missing: build the apps first (npx nx run-many -t build), or run through nx (e2e:test:integration builds them)`);
  }
  return main;
}

/** A free loopback TCP port. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/**
 * The environment of a child app: only what the OS needs plus `vars`, so nothing from the test
 * runner's own environment (REDIS_URL, DATABASE_URL …) leaks into an app by accident.
 */
export function cleanEnv(vars: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) {
    if (process.env[key] !== undefined) {
      base[key] = process.env[key];
    }
  }
  for (const [k, v] of Object.entries(vars)) {
    if (v !== undefined) {
      base[k] = v;
    }
  }
  return base;
}

export interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a built app to completion (for apps expected to exit, e.g. on bad config). */
export function runToExit(app: AppName, env: NodeJS.ProcessEnv, timeoutMs = 60000): Promise<ExitResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [mainOf(app)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${app} did not exit within ${timeoutMs} ms; stderr:\n${stderr}\nstdout:\n${stdout}`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolveRun({ code, signal, stdout, stderr });
    });
  });
}

/** A built app running as a child process, with its output kept for failure messages. */
export class RunningApp {
  private output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly name: AppName,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (d: Buffer) => this.append(d));
    child.stderr?.on('data', (d: Buffer) => this.append(d));
    this.exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  }

  static start(name: AppName, env: NodeJS.ProcessEnv): RunningApp {
    const child = spawn(process.execPath, ['--enable-source-maps', mainOf(name)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    return new RunningApp(name, child);
  }

  private append(d: Buffer): void {
    this.output += d.toString();
    if (this.output.length > 400_000) {
      this.output = this.output.slice(-200_000);
    }
  }

  /** The last lines the app wrote, for assertion messages. */
  tail(lines = 60): string {
    return this.output.split('\n').slice(-lines).join('\n');
  }

  /** All output so far (JSON log lines and anything on stderr). */
  get log(): string {
    return this.output;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Polls `url` until it answers 200; fails early, with the app's output, if the app exits. */
  async waitForReady(url: string, timeoutMs = 90000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (!this.running) {
        throw new Error(`${this.name} exited before it was ready:\n${this.tail()}`);
      }
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
        last = `${res.status} ${await res.text()}`;
        if (res.status === 200) {
          return;
        }
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.name} not ready at ${url} within ${timeoutMs} ms (${last}):\n${this.tail()}`);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how it ended. */
  async stop(graceMs = 20000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) {
      this.child.kill('SIGTERM');
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
      if ((await Promise.race([this.exited, timer])) === 'timeout') {
        this.child.kill('SIGKILL');
      }
    }
    return this.exited;
  }
}
