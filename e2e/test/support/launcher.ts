import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { cleanEnv, ROOT } from './app-process';

/** `tools/dev/start.mjs --skip-build` as a child, with its output collected. */
export class Launcher {
  output = '';
  readonly child: ChildProcess;

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, [join(ROOT, 'tools/dev/start.mjs'), '--skip-build'], {
      cwd: ROOT,
      env: cleanEnv({ NO_COLOR: '1', ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when the output matches; rejects if the launcher exits first or time runs out. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const done = (fn: () => void) => {
        clearInterval(timer);
        clearTimeout(deadline);
        this.child.off('exit', onExit);
        fn();
      };
      const check = () => {
        const m = this.output.match(pattern);
        if (m) {
          done(() => resolve(m));
        }
      };
      const onExit = () => {
        const m = this.output.match(pattern);
        done(() => (m ? resolve(m) : reject(new Error(`launcher exited early:\n${this.output.slice(-6000)}`))));
      };
      const timer = setInterval(check, 100);
      const deadline = setTimeout(() => done(() => reject(new Error(`launcher output did not match ${pattern} within ${timeoutMs} ms:\n${this.output.slice(-6000)}`))), timeoutMs);
      this.child.on('exit', onExit);
      check();
    });
  }

  /** Stops a launcher a failed test left running: SIGTERM lets it stop its process groups. */
  async dispose(): Promise<void> {
    if (this.running) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30000).unref())]);
      this.child.kill('SIGKILL');
    }
  }
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Processes whose command line or environment mentions `dir` (the launcher's data folder). */
export function processesUsing(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    for (const file of ['cmdline', 'environ']) {
      try {
        if (readFileSync(`/proc/${pid}/${file}`, 'utf8').includes(dir)) {
          found.push(`${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`);
          break;
        }
      } catch {
        // gone, or not ours to read
      }
    }
  }
  return found;
}
