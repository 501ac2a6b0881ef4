import type { WorkerFailure } from '@openexp/errors';
import type { AssetJobResult, IngestAssetJob, PurgeAssetsJob, UnpublishAssetJob } from './assets';
import type { ExtensionManifest } from './manifest';
import type { JobStatusOutcome } from './outcome';
import { JobName, QueueName } from './names';
import type { BuildSnapshot, EnvironmentStage, ManagedHostSnapshot, SftpHostSnapshot } from './snapshot';

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

/**
 * Republish (reactor-api.md §2.6): point a managed host's production current entries
 * (`{library_path}/launch-{env.token}.js|.min.js`) back at the files of one of the environment's
 * recent succeeded builds, still in `{library_path}/{build.token}/`. Self-contained: the worker needs
 * nothing else. Job id = build id + sequence: every republish request is a new job.
 */
export interface RepublishBuildJob {
  buildId: string;
  /** 1 for the build's first republish request, bumped by each later one; a result for an older one is dropped. */
  republishSequence: number;
  /**
   * When reactor-api accepted the request (ISO 8601). Orders it against the environment's builds
   * (by their `createdAt`) and other republishes: the latest request wins whatever order workers run in.
   */
  requestedAt: string;
  build: { id: string; token: string; createdAt: string };
  environment: {
    id: string;
    /** 12-hex token naming the files `launch-{token}.js|.min.js`. */
    token: string;
    /** Always `production` today (only production builds are republished). */
    stage: EnvironmentStage;
    /** `{company.token}/{property.token}`. */
    libraryPath: string;
  };
  /** Only managed hosts support republish. */
  host: ManagedHostSnapshot;
}

export type { JobStatusOutcome } from './outcome';

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

/**
 * Outcome of a republish. `succeeded` also when a later request (a newer build or republish of the
 * environment) is already current: the result is then the same as if both had run in order, and
 * `files` is empty.
 */
export interface RepublishResult {
  buildId: string;
  republishSequence: number;
  status: JobStatusOutcome;
  failures: WorkerFailure[];
  /** Current entries rewritten, relative to the environment's public path (success only). */
  files: string[];
  /** Attempt that produced this result (1-based). */
  attempt: number;
  finishedAt: string;
}

/** Every job, tying its name to its payload (and, through JOB_QUEUE, to its queue). */
export type JobItem =
  | { name: JobName.BuildLibrary; data: BuildLibraryJob }
  | { name: JobName.ProcessExtensionPackage; data: ProcessExtensionPackageJob }
  | { name: JobName.PretestHost; data: PretestHostJob }
  | { name: JobName.RepublishBuild; data: RepublishBuildJob }
  | { name: JobName.BuildResult; data: BuildResult }
  | { name: JobName.ExtensionPackageResult; data: ExtensionPackageResult }
  | { name: JobName.HostPretestResult; data: HostPretestResult }
  | { name: JobName.RepublishResult; data: RepublishResult }
  | { name: JobName.IngestAsset; data: IngestAssetJob }
  | { name: JobName.UnpublishAsset; data: UnpublishAssetJob }
  | { name: JobName.PurgeAssets; data: PurgeAssetsJob }
  | { name: JobName.AssetJobResult; data: AssetJobResult };

/** Payload type of job `N`. */
export type JobOf<N extends JobName> = Extract<JobItem, { name: N }>['data'];

/** Queue each job is sent to. */
export const JOB_QUEUE = {
  [JobName.BuildLibrary]: QueueName.Builds,
  [JobName.ProcessExtensionPackage]: QueueName.ExtensionPackages,
  [JobName.PretestHost]: QueueName.HostPretests,
  [JobName.RepublishBuild]: QueueName.Builds,
  [JobName.BuildResult]: QueueName.Results,
  [JobName.ExtensionPackageResult]: QueueName.Results,
  [JobName.HostPretestResult]: QueueName.Results,
  [JobName.RepublishResult]: QueueName.Results,
  [JobName.IngestAsset]: QueueName.Assets,
  [JobName.UnpublishAsset]: QueueName.Assets,
  [JobName.PurgeAssets]: QueueName.Assets,
  [JobName.AssetJobResult]: QueueName.AssetResults,
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
    case JobName.RepublishBuild:
      return `republish-${item.data.buildId}-s${item.data.republishSequence}`;
    case JobName.BuildResult:
      return `result-build-${item.data.buildId}`;
    case JobName.ExtensionPackageResult:
      return `result-package-${item.data.extensionPackageId}-${safe(item.data.uploadKey)}`;
    case JobName.HostPretestResult:
      return `result-pretest-${item.data.hostId}-r${item.data.hostRevision}`;
    case JobName.RepublishResult:
      return `result-republish-${item.data.buildId}-s${item.data.republishSequence}`;
    case JobName.IngestAsset:
    case JobName.UnpublishAsset:
    case JobName.PurgeAssets:
      return `asset-${safe(item.data.jobId)}`;
    case JobName.AssetJobResult:
      return `result-asset-${safe(item.data.jobId)}`;
  }
}

function safe(value: string): string {
  return value.replace(/[^A-Za-z0-9_.-]/g, '_');
}
