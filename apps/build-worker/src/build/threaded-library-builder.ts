import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ReactorError, ReactorErrors, reactorErrorFromFailure, type WorkerFailure } from '@openexp/errors';
import type { BuildSnapshot } from '@openexp/queue-contracts';
import type { BuildThreadData, FromBuildThread, ToBuildThread } from './build-thread.protocol';
import type { Deliverable } from './deliverable';
import { archiveDelivery, archiveInputOf } from './library-archive';
import type { BuiltLibrary } from './library-builder';
import { libraryLayout } from './library-names';
import type { PackageFileReader } from './module-sources';
import type { TurbineEngine } from './turbine-engine';

/** Snapshot in, library files out. */
export interface LibraryBuilding {
  build(snapshot: BuildSnapshot): Promise<BuiltLibrary>;
}

/** Packs an archive environment's ZIP (library-archive.ts). */
export type LibraryArchiver = (library: BuiltLibrary, passphrase: string | null) => Promise<Deliverable>;

/** How a build thread is started: the emitted script, or TypeScript sources through a loader. */
export interface BuildThreadScript {
  /** A file path, or code when `eval` is true. */
  filename: string;
  eval: boolean;
  /** The thread's environment (defaults to the process's). */
  env?: Record<string, string>;
}

/** Name of the thread entry, in the sources (`.ts`) and as emitted by webpack (`.js`, webpack.config.js). */
const THREAD_ENTRY = 'library-build.thread';

/**
 * Finds the build thread's code next to this module:
 * - in the bundle (`dist/apps/build-worker/main.js`), webpack emits the entry `library-build.thread.js`
 *   beside main.js (an additional entry point in webpack.config.js; `__dirname` is the bundle's folder);
 * - run from the TypeScript sources (jest, test/support/worker-process.js, tools), the `.ts` entry is
 *   loaded through tsx's CommonJS hook with the workspace's path aliases: the thread sees neither
 *   jest's transform nor the parent's require hooks.
 * @throws Error when neither is there, so a broken bundle stops the worker at start-up.
 */
export function buildThreadScript(dir = __dirname): BuildThreadScript {
  const emitted = join(dir, `${THREAD_ENTRY}.js`);
  if (existsSync(emitted)) {
    return { filename: emitted, eval: false };
  }
  const source = join(dir, `${THREAD_ENTRY}.ts`);
  const tsconfig = resolve(dir, '../../../../tsconfig.base.json');
  if (existsSync(source) && existsSync(tsconfig)) {
    const tsx = createRequire(source).resolve('tsx/cjs');
    return { filename: `require(${JSON.stringify(tsx)});\nrequire(${JSON.stringify(source)});\n`, eval: true, env: { TSX_TSCONFIG_PATH: tsconfig } };
  }
  throw new Error(`The build thread's code is missing: neither ${emitted} nor ${source} exists.`);
}

export interface ThreadedLibraryBuilderOptions {
  /** Threads kept for the next builds once idle (the build concurrency); more are ended when done. */
  maxIdleThreads: number;
  script?: BuildThreadScript;
}

/**
 * Builds libraries, and packs archive ZIPs, in worker threads (`node:worker_threads`). Assembling
 * the container and, above all, minifying it with terser are synchronous CPU work: on the main
 * thread they held the event loop for seconds (about 0.8 s per MiB of custom code on an idle
 * 2-core machine, several times that under load; three 1 MiB custom-code actions 2.4–5.7 s),
 * longer than the job lock, so BullMQ could not renew the lock and the job was recovered as
 * stalled and built and deployed again. Packing the ZIP of an archive environment (deflate level
 * 9, AES) held it 0.5–1.2 s for such a library. In a thread, the main loop stays free to renew
 * locks however long a build takes (see DEFAULT_LOCK_DURATION_MS in the config).
 *
 * One thread does one task at a time; threads are reused (idle ones do not keep the process
 * alive) and one that fails is discarded. The thread reads package files through the main thread's
 * `reader`, so storage stays behind one interface. Catalogued failures cross as codes
 * (`WorkerFailure`) and are thrown again here as ReactorError(s), exactly as the in-thread builder
 * throws them; anything else becomes an Error (`internal-error` for the job).
 */
export class ThreadedLibraryBuilder implements LibraryBuilding {
  private readonly idle: Worker[] = [];
  private readonly script: BuildThreadScript;
  private closed = false;

  constructor(
    private readonly engine: () => Promise<TurbineEngine>,
    private readonly reader: PackageFileReader,
    private readonly options: ThreadedLibraryBuilderOptions,
  ) {
    this.script = options.script ?? buildThreadScript();
  }

  async build(snapshot: BuildSnapshot): Promise<BuiltLibrary> {
    const files = await this.task({ type: 'build', snapshot }, (m) => (m.type === 'built' ? m.files : undefined));
    return { build: { id: snapshot.build.id, createdAt: snapshot.build.createdAt }, layout: libraryLayout(snapshot), files };
  }

  /** The archive environment's delivery (library-archive.ts), packed in a thread. */
  async archive(library: BuiltLibrary, passphrase: string | null): Promise<Deliverable> {
    const zip = await this.task({ type: 'archive', input: archiveInputOf(library), passphrase }, (m) => (m.type === 'archived' ? m.zip : undefined));
    return archiveDelivery(library, zip);
  }

  /** Ends the idle threads; busy ones end when their task does. Nest calls it on shutdown. */
  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await Promise.all(this.idle.splice(0).map((t) => t.terminate()));
  }

  private async task<T>(message: ToBuildThread, answer: (m: FromBuildThread) => T | undefined): Promise<T> {
    const thread = this.idle.pop() ?? (await this.startThread());
    thread.ref();
    let healthy = false;
    try {
      const result = await this.run(thread, message, answer);
      healthy = true;
      return result;
    } catch (error) {
      healthy = error instanceof ReactorError || error instanceof ReactorErrors;
      throw error;
    } finally {
      if (healthy && !this.closed && this.idle.length < this.options.maxIdleThreads) {
        thread.unref();
        this.idle.push(thread);
      } else {
        void thread.terminate();
      }
    }
  }

  private async startThread(): Promise<Worker> {
    const workerData: BuildThreadData = { engine: await this.engine() };
    return new Worker(this.script.filename, { eval: this.script.eval, workerData, ...(this.script.env ? { env: this.script.env } : {}) });
  }

  /** Sends `task` and settles with the thread's answer, serving its file reads meanwhile. */
  private run<T>(thread: Worker, task: ToBuildThread, answer: (m: FromBuildThread) => T | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const finish = (settle: () => void): void => {
        thread.off('message', onMessage);
        thread.off('error', onError);
        thread.off('exit', onExit);
        settle();
      };
      const onMessage = (message: FromBuildThread): void => {
        if (message.type === 'read') {
          this.serveRead(thread, message);
          return;
        }
        const outcome = taskOutcome(message, task, answer);
        finish(() => ('error' in outcome ? reject(outcome.error) : resolve(outcome.value)));
      };
      const onError = (error: Error): void => finish(() => reject(error));
      const onExit = (code: number): void => finish(() => reject(new Error(`library build thread exited with code ${code} during a ${task.type}`)));
      thread.on('message', onMessage);
      thread.on('error', onError);
      thread.on('exit', onExit);
      this.send(thread, task);
    });
  }

  /** Answers the thread's request for a package file (read through the main thread's reader). */
  private serveRead(thread: Worker, message: Extract<FromBuildThread, { type: 'read' }>): void {
    this.reader.read(message.filesPrefix, message.libPath).then(
      (content) => this.send(thread, { type: 'file', request: message.request, content }),
      (error: unknown) => this.send(thread, { type: 'file', request: message.request, content: undefined, error: error instanceof Error ? error.message : String(error) }),
    );
  }

  private send(thread: Worker, message: ToBuildThread): void {
    thread.postMessage(message);
  }
}

/** What the thread's final message means for the task: its result, or the error to throw. */
function taskOutcome<T>(
  message: Exclude<FromBuildThread, { type: 'read' }>,
  task: ToBuildThread,
  answer: (m: FromBuildThread) => T | undefined,
): { value: T } | { error: Error } {
  if (message.type === 'failed') {
    return { error: thrownFrom(message.failures) };
  }
  if (message.type === 'crashed') {
    const error = new Error(`library build thread: ${message.message}`);
    error.stack = message.stack ?? error.stack;
    return { error };
  }
  const result = answer(message);
  return result === undefined ? { error: new Error(`library build thread answered ${message.type} to ${task.type}`) } : { value: result };
}

function thrownFrom(failures: readonly WorkerFailure[]): Error {
  const [first, ...rest] = failures.map(reactorErrorFromFailure);
  if (first === undefined) {
    return new Error('library build thread failed without a reason');
  }
  return rest.length === 0 ? first : new ReactorErrors([first, ...rest]);
}
