import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** A worker process started from the TypeScript sources (support/worker-process.js). */
export interface WorkerChild {
  child: ChildProcess;
  /** Resolves once the worker consumes its queues; rejects if it exits first. */
  ready: Promise<void>;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
}

export function spawnWorker(env: Record<string, string>): WorkerChild {
  const child = spawn(process.execPath, [join(__dirname, 'worker-process.js')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('worker ready')) {
        resolve();
      }
    });
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${output}`)));
  });
  return { child, ready, output: () => output };
}

/** SIGTERM, then waits for the exit; resolves at once for a process already gone. */
export async function stopWorker(worker: WorkerChild): Promise<void> {
  const { child } = worker;
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export function waitFor(predicate: () => boolean | Promise<boolean>, what: string, ms = 40000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = async (): Promise<void> => {
      if (await predicate()) {
        resolve();
      } else if (Date.now() > deadline) {
        reject(new Error(`timed out waiting for ${what}`));
      } else {
        setTimeout(() => void tick(), 50);
      }
    };
    void tick();
  });
}
