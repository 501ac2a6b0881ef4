import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');

/**
 * A real app process started from its TypeScript entry point (`apps/<app>/src/main.ts`, compiled
 * on the fly by tools/test/register-ts.cjs), configured by its environment as in production. Its
 * JSON log lines are collected so a test can wait for one (`listening`, `started`).
 */
export class AppProcess {
  private readonly lines: Record<string, unknown>[] = [];
  private text = '';

  private constructor(readonly child: ChildProcess) {
    const collect = (d: Buffer) => {
      this.text += d.toString();
      const parts = this.text.split('\n');
      this.text = parts.pop() ?? '';
      for (const part of parts) {
        try {
          this.lines.push(JSON.parse(part) as Record<string, unknown>);
        } catch {
          this.lines.push({ msg: part });
        }
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
  }

  static start(app: 'image-server' | 'build-worker', env: Record<string, string>): AppProcess {
    const entry = join(ROOT, 'apps', app, 'src', 'main.ts');
    return new AppProcess(spawn(process.execPath, ['-r', join(ROOT, 'tools', 'test', 'register-ts.cjs'), entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  /** The first log line with this message (waits up to `ms`); rejects when the process exits first. */
  async logLine(msg: string, ms = 60_000): Promise<Record<string, unknown>> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const line = this.lines.find((l) => l['msg'] === msg);
      if (line !== undefined) {
        return line;
      }
      if (this.child.exitCode !== null) {
        throw new Error(`process exited with ${this.child.exitCode}: ${this.log()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no "${msg}" within ${ms} ms: ${this.log()}`);
  }

  log(): string {
    return this.lines.map((l) => JSON.stringify(l)).join('\n');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      return;
    }
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
