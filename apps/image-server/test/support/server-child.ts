import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

/** A reply from the child server, and what it cost the server. */
export interface MeasuredReply {
  status: number;
  body: Buffer;
  text: string;
  /** Wall-clock time from sending the request to the last byte of the reply. */
  ms: number;
  /** How far the server's resident memory rose above what it held when the request was sent (peak RSS, bytes). */
  grewBy: number;
}

/**
 * The real image server in a child process (`server-process.js`), so its resident memory is its
 * own and not Jest's: `/proc/<pid>/status` gives the current (VmRSS) and peak (VmHWM) resident
 * set, and writing `5` to `/proc/<pid>/clear_refs` resets the peak (Linux), so the peak of one
 * request can be read. Requests run one at a time.
 */
export class ServerChild {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly output: () => string,
  ) {}

  static start(env: Record<string, string>): Promise<ServerChild> {
    const child = spawn(process.execPath, [join(__dirname, 'server-process.js')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    return new Promise((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => {
        output += d.toString();
        const url = /listening (\S+)/.exec(output)?.[1];
        if (url !== undefined) {
          resolve(new ServerChild(child, url, () => output));
        }
      });
      child.stderr?.on('data', (d: Buffer) => {
        output += d.toString();
      });
      child.once('exit', (code, signal) => reject(new Error(`image server exited (${code ?? signal}) before listening: ${output}`)));
    });
  }

  /** True while the server process runs. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** What the server printed (start-up failures, crashes such as `free(): double free detected`). */
  get log(): string {
    return this.output();
  }

  /** Current and peak resident set of the server, in bytes. */
  memory(): { rss: number; peak: number } {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  }

  /** GETs `path` and measures the peak resident memory the server reached while answering it. */
  async get(path: string, timeoutMs: number): Promise<MeasuredReply> {
    writeFileSync(`/proc/${this.child.pid}/clear_refs`, '5');
    const before = this.memory().rss;
    const started = performance.now();
    const { status, body } = await new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      const req = request(`${this.url}${path}`, { agent: false, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no reply within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end();
    });
    const ms = performance.now() - started;
    return { status, body, text: body.toString('utf8'), ms, grewBy: this.memory().peak - before };
  }

  async stop(): Promise<void> {
    if (!this.alive) {
      return;
    }
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }
}
