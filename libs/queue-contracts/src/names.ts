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
}
