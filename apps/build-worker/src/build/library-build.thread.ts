import { parentPort, workerData } from 'node:worker_threads';
import { failuresFromUnknown, ReactorError, ReactorErrors } from '@openexp/errors';
import type { BuildThreadData, FromBuildThread, ToBuildThread } from './build-thread.protocol';
import { packArchive } from './library-archive';
import { LibraryBuilder } from './library-builder';
import type { PackageFileReader } from './module-sources';

/**
 * Entry of a build thread (see threaded-library-builder.ts): assembles, renders and minifies one
 * library, or packs one archive ZIP, at a time, off the main thread's event loop. Package files
 * are asked of the main thread, so the thread has no side effect of its own and needs no
 * configuration.
 */
if (parentPort === null) {
  throw new Error('library-build.thread runs in a worker thread only');
}
const port = parentPort;
const { engine } = workerData as BuildThreadData;
const pending = new Map<number, { resolve(content: string | undefined): void; reject(error: Error): void }>();
let requests = 0;

const post = (message: FromBuildThread): void => port.postMessage(message);

const reader: PackageFileReader = {
  read: (filesPrefix, libPath) =>
    new Promise((resolve, reject) => {
      const request = (requests += 1);
      pending.set(request, { resolve, reject });
      post({ type: 'read', request, filesPrefix, libPath });
    }),
};
const builder = new LibraryBuilder(() => Promise.resolve(engine), reader);

async function run(message: Extract<ToBuildThread, { type: 'build' | 'archive' }>): Promise<void> {
  try {
    if (message.type === 'build') {
      post({ type: 'built', files: (await builder.build(message.snapshot)).files });
    } else {
      const zip = await packArchive(message.input, message.passphrase);
      port.postMessage({ type: 'archived', zip } satisfies FromBuildThread, [zip.buffer as ArrayBuffer]);
    }
  } catch (error) {
    if (error instanceof ReactorError || error instanceof ReactorErrors) {
      post({ type: 'failed', failures: failuresFromUnknown(error) });
    } else {
      post({ type: 'crashed', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
    }
  }
}

port.on('message', (message: ToBuildThread) => {
  if (message.type === 'build' || message.type === 'archive') {
    void run(message);
    return;
  }
  const waiting = pending.get(message.request);
  pending.delete(message.request);
  if (message.error !== undefined) {
    waiting?.reject(new Error(message.error));
  } else {
    waiting?.resolve(message.content);
  }
});
