import type { WorkerFailure } from '@openexp/errors';
import type { ExtensionManifest } from './manifest';
import { JobName, QueueName } from './names';
import type { BuildSnapshot, SftpHostSnapshot } from './snapshot';

/** Build one library for one environment and deploy it. Job id = build id: a build is never built twice. */
export interface BuildLibraryJob {
  buildId: string;
  snapshot: BuildSnapshot;
}

/** Process one upload of an extension package. */
export interface ProcessExtensionPackageJob {
  extensionPackageId: string;
  /** Blob key of the uploaded zip; a later re-upload has a new key and supersedes this job. */
  uploadKey: string;
  /** Blob prefix to extract the package's files into (unique per upload). */
  filesPrefix: string;
  /** Org that uploaded the package (owner). */
  ownerOrgId: string;
  /** Set on re-upload: the new zip must keep this name and platform. */
  expected?: { name: string; platform: string };
  /** Our own seeded packages only: allows `customCode` transforms. */
  trusted: boolean;
}

/** Pretest an SFTP host's credentials and path. */
export interface PretestHostJob {
  hostId: string;
  /** Bumped by every change of the host; a result for an older revision is dropped. */
  hostRevision: number;
  host: SftpHostSnapshot;
}

export type JobStatusOutcome = 'succeeded' | 'failed';

/** Outcome of a build, including deploy. `failures` is empty on success. */
export interface BuildResult {
  buildId: string;
  libraryId: string;
  environmentId: string;
  status: JobStatusOutcome;
  failures: WorkerFailure[];
  /** Files written, relative to the environment's public path (success only). */
  files: string[];
  /** Attempt that produced this result (1-based). */
  attempt: number;
  finishedAt: string;
}

export interface ExtensionPackageResult {
  extensionPackageId: string;
  uploadKey: string;
  status: JobStatusOutcome;
  failures: WorkerFailure[];
  /** Parsed `extension.json` (success, and on failure when it could be read). */
  manifest: ExtensionManifest | null;
  filesPrefix: string;
  finishedAt: string;
}

export interface HostPretestResult {
  hostId: string;
  hostRevision: number;
  status: JobStatusOutcome;
  failures: WorkerFailure[];
  finishedAt: string;
}

/** Every job, tying its name to its payload (and, through JOB_QUEUE, to its queue). */
export type JobItem =
  | { name: JobName.BuildLibrary; data: BuildLibraryJob }
  | { name: JobName.ProcessExtensionPackage; data: ProcessExtensionPackageJob }
  | { name: JobName.PretestHost; data: PretestHostJob }
  | { name: JobName.BuildResult; data: BuildResult }
  | { name: JobName.ExtensionPackageResult; data: ExtensionPackageResult }
  | { name: JobName.HostPretestResult; data: HostPretestResult };

/** Payload type of job `N`. */
export type JobOf<N extends JobName> = Extract<JobItem, { name: N }>['data'];

/** Queue each job is sent to. */
export const JOB_QUEUE = {
  [JobName.BuildLibrary]: QueueName.Builds,
  [JobName.ProcessExtensionPackage]: QueueName.ExtensionPackages,
  [JobName.PretestHost]: QueueName.HostPretests,
  [JobName.BuildResult]: QueueName.Results,
  [JobName.ExtensionPackageResult]: QueueName.Results,
  [JobName.HostPretestResult]: QueueName.Results,
} as const satisfies Record<JobName, QueueName>;

/** Job names a queue carries (the worker checks it has exactly one handler for each). */
export function jobNamesOf(queue: QueueName): JobName[] {
  return (Object.keys(JOB_QUEUE) as JobName[]).filter((name) => JOB_QUEUE[name] === queue);
}

/**
 * Deterministic job ids: enqueueing the same work twice adds one job (BullMQ ignores a duplicate id
 * while the first is still kept). BullMQ forbids `:` in custom ids.
 */
export function jobIdOf(item: JobItem): string {
  switch (item.name) {
    case JobName.BuildLibrary:
      return `build-${item.data.buildId}`;
    case JobName.ProcessExtensionPackage:
      return `package-${item.data.extensionPackageId}-${safe(item.data.uploadKey)}`;
    case JobName.PretestHost:
      return `pretest-${item.data.hostId}-r${item.data.hostRevision}`;
    case JobName.BuildResult:
      return `result-build-${item.data.buildId}`;
    case JobName.ExtensionPackageResult:
      return `result-package-${item.data.extensionPackageId}-${safe(item.data.uploadKey)}`;
    case JobName.HostPretestResult:
      return `result-pretest-${item.data.hostId}-r${item.data.hostRevision}`;
  }
}

function safe(value: string): string {
  return value.replace(/[^A-Za-z0-9_.-]/g, '_');
}
