import type { DeployedFiles } from './deploy.types';

/**
 * Proof that a build's deploy finished: `{library_path}/{build.token}/.deployed.json`, written last
 * — after the build's files, the current entries and the environment's marker — and read first.
 * A deploy of a build whose directory already holds a marker naming that build is skipped and
 * answers the files recorded in it: a job run again (recovered as stalled, retried after its result
 * could not be posted, enqueued twice past the queue's dedupe window) neither uploads nor switches
 * anything a second time. A deploy that stopped before the end left no marker, so it is done again
 * in full (every step overwrites its own earlier output). Retention deletes the marker with its
 * directory.
 */
export const DEPLOYED_MARKER = '.deployed.json';

export interface DeployedMarker {
  buildId: string;
  /** What the deploy reported (the build's result lists them). */
  files: DeployedFiles;
  deployedAt: string;
}

export function deployedMarker(buildId: string, files: DeployedFiles): DeployedMarker {
  return { buildId, files, deployedAt: new Date().toISOString() };
}

/** The marker when `text` is one for `buildId`; anything else (absent, unreadable, another build's) counts as not deployed. */
export function parseDeployedMarker(text: string | undefined, buildId: string): DeployedMarker | undefined {
  if (text === undefined) {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<DeployedMarker>;
    if (
      parsed.buildId !== buildId ||
      typeof parsed.deployedAt !== 'string' ||
      !Array.isArray(parsed.files) ||
      !parsed.files.every((f): f is string => typeof f === 'string')
    ) {
      return undefined;
    }
    return { buildId, files: parsed.files, deployedAt: parsed.deployedAt };
  } catch {
    return undefined;
  }
}
