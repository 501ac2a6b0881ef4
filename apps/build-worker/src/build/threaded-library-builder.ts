import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ReactorError, ReactorErrors, reactorErrorFromFailure, type WorkerFailure } from '@openexp/errors';
import type { BuildSnapshot } from '@openexp/queue-contracts';
import type { BuildThreadData, FromBuildThread, ToBuildThread } from './build-thread.protocol';
import type { BuiltLibrary } from './library-builder';
import { libraryLayout } from './library-names';
import type { BuiltFile } from './library-renderer';
import type { PackageFileReader } from './module-sources';
import type { TurbineEngine } from './turbine-engine';

/** Snapshot in, library files out. */
export interface LibraryBuilding {
  build(snapshot: BuildSnapshot): Promise<BuiltLibrary>;
}

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
 * Builds libraries in worker threads (`node:worker_threads`). Assembling the container and, above
 * all, minifying it with terser are synchronous CPU work: on the main thread they held the event
 * loop for seconds (about 0.8 s per MiB of custom code on the reference machine, three 1 MiB
 * custom-code actions about 2.5 s), longer than the job lock, so BullMQ could not renew the lock
 * and the job was recovered as stalled and built and deployed again. In a thread, the main loop
 * stays free to renew locks and answer stalled checks however long a build takes.
 *
 * One thread builds one library at a time; threads are reused (idle ones do not keep the process
 * alive) and one that fails is discarded. The thread reads package files through the main thread's
 * `reader`, so storage stays behind one interface. Catalogued failures cross as codes
 * (`WorkerFailure`) and are thrown again here as ReactorError(s), exactly as the in-thread builder
 * throws them; anything else becomes an Error (`internal-error` for the job).
 */
export class ThreadedLibraryBuilder implements LibraryBuilding {
  private readonly idle: Worker[] = [];
  private readonly busy = new Set<Worker>();
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
    const thread = this.idle.pop() ?? (await this.startThread());
    this.busy.add(thread);
    thread.ref();
    let healthy = false;
    try {
      const files = await this.run(thread, snapshot);
      healthy = true;
      return { build: { id: snapshot.build.id, createdAt: snapshot.build.createdAt }, layout: libraryLayout(snapshot), files };
    } catch (error) {
      healthy = error instanceof ReactorError || error instanceof ReactorErrors;
      throw error;
    } finally {
      this.busy.delete(thread);
      if (healthy && !this.closed && this.idle.length < this.options.maxIdleThreads) {
        thread.unref();
        this.idle.push(thread);
      } else {
        void thread.terminate();
      }
    }
  }

  /** Ends the idle threads; busy ones end when their build does. Nest calls it on shutdown. */
  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await Promise.all(this.idle.splice(0).map((t) => t.terminate()));
  }

  private async startThread(): Promise<Worker> {
    const workerData: BuildThreadData = { engine: await this.engine() };
    return new Worker(this.script.filename, { eval: this.script.eval, workerData, ...(this.script.env ? { env: this.script.env } : {}) });
  }

  private run(thread: Worker, snapshot: BuildSnapshot): Promise<BuiltFile[]> {
    return new Promise<BuiltFile[]>((resolve, reject) => {
      const done = (): void => {
        thread.off('message', onMessage);
        thread.off('error', onError);
        thread.off('exit', onExit);
      };
      const onMessage = (message: FromBuildThread): void => {
        switch (message.type) {
          case 'read':
            this.reader.read(message.filesPrefix, message.libPath).then(
              (content) => this.send(thread, { type: 'file', request: message.request, content }),
              (error: unknown) => this.send(thread, { type: 'file', request: message.request, content: undefined, error: error instanceof Error ? error.message : String(error) }),
            );
            return;
          case 'built':
            done();
            resolve(message.files);
            return;
          case 'failed':
            done();
            reject(thrownFrom(message.failures));
            return;
          case 'crashed': {
            done();
            const error = new Error(`library build thread: ${message.message}`);
            error.stack = message.stack ?? error.stack;
            reject(error);
            return;
          }
        }
      };
      const onError = (error: Error): void => {
        done();
        reject(error);
      };
      const onExit = (code: number): void => {
        done();
        reject(new Error(`library build thread exited with code ${code} during a build`));
      };
      thread.on('message', onMessage);
      thread.on('error', onError);
      thread.on('exit', onExit);
      this.send(thread, { type: 'build', snapshot });
    });
  }

  private send(thread: Worker, message: ToBuildThread): void {
    thread.postMessage(message);
  }
}

function thrownFrom(failures: readonly WorkerFailure[]): Error {
  const [first, ...rest] = failures.map(reactorErrorFromFailure);
  if (first === undefined) {
    return new Error('library build thread failed without a reason');
  }
  return rest.length === 0 ? first : new ReactorErrors([first, ...rest]);
}
