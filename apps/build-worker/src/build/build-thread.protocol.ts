import type { WorkerFailure } from '@openexp/errors';
import type { BuildSnapshot } from '@openexp/queue-contracts';
import type { ArchiveInput } from './library-archive';
import type { BuiltFile } from './library-renderer';
import type { TurbineEngine } from './turbine-engine';

/** What a build thread is started with (`workerData`): the engine, read once by the main thread. */
export interface BuildThreadData {
  engine: TurbineEngine;
}

/** Main thread → build thread. A thread does one task (a build or an archive) at a time. */
export type ToBuildThread =
  | { type: 'build'; snapshot: BuildSnapshot }
  /** Packs an archive environment's ZIP; the passphrase only ever lives in memory. */
  | { type: 'archive'; input: ArchiveInput; passphrase: string | null }
  /** Answer to a `read`: the file's text, undefined when absent, or why it could not be read. */
  | { type: 'file'; request: number; content: string | undefined; error?: string };

/** Build thread → main thread. */
export type FromBuildThread =
  /** The thread needs a package file: the main thread reads it (it owns every side effect). */
  | { type: 'read'; request: number; filesPrefix: string; libPath: string }
  | { type: 'built'; files: BuiltFile[] }
  /** The ZIP's bytes (its buffer is transferred, not copied). */
  | { type: 'archived'; zip: Uint8Array }
  /** The task failed for catalogued reasons (ReactorError / ReactorErrors), as codes. */
  | { type: 'failed'; failures: WorkerFailure[] }
  /** Anything else thrown: a bug, never shown to users; the message is for the logs. */
  | { type: 'crashed'; message: string; stack: string | undefined };
