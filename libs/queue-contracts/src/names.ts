/*
 * Queue and job names are stored in Redis with every job. NEVER rename a value: jobs already queued
 * under the old name would never be processed. Add new names instead, and retire old ones after
 * their queues have drained.
 */

/** BullMQ queues between reactor-api (producer of work, consumer of results) and build-worker. */
export enum QueueName {
  Builds = 'builds',
  ExtensionPackages = 'extension-packages',
  HostPretests = 'host-pretests',
  Results = 'results',
  /** Image asset work (ingest, unpublish, purge): image-server's management API → build-worker. */
  Assets = 'assets',
  /** Outcomes of asset jobs: build-worker → image-server's management API. */
  AssetResults = 'asset-results',
}

export enum JobName {
  /** Build a library for an environment and deploy it to the environment's host. */
  BuildLibrary = 'build-library',
  /** Unzip, validate and extract an uploaded extension package. */
  ProcessExtensionPackage = 'process-extension-package',
  /** Decrypt an SFTP host's key, connect, write, read back and remove a probe file. */
  PretestHost = 'pretest-host',
  /** Repoint a managed host's production current entries at one of its recent builds (builds queue). */
  RepublishBuild = 'republish-build',
  /** Outcome of a BuildLibrary job, applied by reactor-api. */
  BuildResult = 'build-result',
  /** Outcome of a ProcessExtensionPackage job, applied by reactor-api. */
  ExtensionPackageResult = 'extension-package-result',
  /** Outcome of a PretestHost job, applied by reactor-api. */
  HostPretestResult = 'host-pretest-result',
  /** Outcome of a RepublishBuild job, applied by reactor-api. */
  RepublishResult = 'republish-result',
  /** Validate an uploaded image, convert it to a pyramid TIFF, publish it into a catalog (upload or replace). */
  IngestAsset = 'ingest-asset',
  /** Remove an asset's record from its catalog (its image file is kept until a later cleanup). */
  UnpublishAsset = 'unpublish-asset',
  /** Drop cached replies for ids or URLs on every image-server replica, then purge the CDN when configured. */
  PurgeAssets = 'purge-assets',
  /** Outcome of any asset job, applied by image-server's management API. */
  AssetJobResult = 'asset-job-result',
}

/** Queues between reactor-api and build-worker (Tags). */
export const TAGS_QUEUES: readonly QueueName[] = [QueueName.Builds, QueueName.ExtensionPackages, QueueName.HostPretests, QueueName.Results];

/** Queues between image-server's management API and build-worker (assets). */
export const ASSET_QUEUES: readonly QueueName[] = [QueueName.Assets, QueueName.AssetResults];
