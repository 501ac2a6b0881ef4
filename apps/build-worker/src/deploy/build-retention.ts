import type { EnvironmentState, StoredBuild } from './current-marker';

/**
 * Retention of build directories on managed hosts. Every build writes `{library_path}/{build.token}/`
 * to the blob store; without a limit, storage grows with every build. After each successful deploy
 * and republish, under the environment's lock, the worker deletes the environment's build
 * directories beyond the newest `keep` (by build creation time, as reactor-api orders builds), and:
 *
 * - never the directory the current entries were copied from (the marker names that build), so the
 *   files the current library loads (custom code, hosted extension files, its license pointer) stay;
 * - never another environment's: the register lives in the environment's own marker file
 *   (`.launch-{env.token}[-stage].current.json`), and a directory not in the register is the
 *   environment's only if it holds a file named after it (`launch-{env.token}[-stage].js|.min.js|.zip`);
 * - production keeps at least {@link PRODUCTION_MINIMUM}, because reactor-api accepts a republish of
 *   any of the five most recent succeeded production builds;
 * - directories not in the register (written before retention existed, or left by a build that
 *   failed half-way) are deleted only once none of their files changed for `unregisteredGraceMs`
 *   (a build still uploading is never touched), and only while the current build is known;
 * - `keep` 0 turns retention off.
 *
 * Idempotent: a second run finds nothing more to delete. A deletion that fails is left for the next run.
 */
export const PRODUCTION_MINIMUM = 5;

/** A directory of the environment in storage that is not in the register, with its newest file's time. */
export interface UnregisteredDirectory {
  token: string;
  modifiedAt: number;
}

export interface RetentionInput {
  keep: number;
  state: EnvironmentState;
  /** Tokens of the build directories present in storage under the library path. */
  present: ReadonlySet<string>;
  unregistered: readonly UnregisteredDirectory[];
  now: number;
  unregisteredGraceMs: number;
}

export interface RetentionPlan {
  /** Build tokens whose directories are deleted. */
  remove: string[];
  /** The register once they are, newest first. */
  builds: StoredBuild[];
}

/** Newest first; ties broken by id, as the current marker breaks them. */
export function byNewest(a: StoredBuild, b: StoredBuild): number {
  const d = Date.parse(b.createdAt) - Date.parse(a.createdAt);
  return d !== 0 ? d : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** How many directories an environment keeps: `keep`, at least five in production, 0 = all. */
export function keepFor(keep: number, production: boolean): number {
  return keep === 0 ? 0 : production ? Math.max(keep, PRODUCTION_MINIMUM) : keep;
}

/** Adds or refreshes a build in the register. */
export function registered(builds: readonly StoredBuild[], build: StoredBuild): StoredBuild[] {
  return [...builds.filter((b) => b.id !== build.id && b.token !== build.token), build].sort(byNewest);
}

export function planRetention(input: RetentionInput): RetentionPlan {
  const { keep, state } = input;
  const currentId = state.current?.buildId;
  // Entries whose directory is gone (deleted by hand) leave the register, except the current one.
  const builds = state.builds.filter((b) => input.present.has(b.token) || b.id === currentId).sort(byNewest);
  if (keep === 0) {
    return { remove: [], builds };
  }
  const current = builds.find((b) => b.id === currentId);
  const remove: string[] = [];
  const kept: StoredBuild[] = [];
  builds.forEach((b, index) => {
    if (index < keep || b === current || !input.present.has(b.token)) {
      kept.push(b);
    } else {
      remove.push(b.token);
    }
  });
  // Unregistered directories count as older than every registered one. While the current build is
  // not in the register (a marker written before it existed), one of them may be current: keep all.
  const currentKnown = currentId === undefined || current !== undefined;
  if (currentKnown) {
    const known = new Set(builds.map((b) => b.token));
    const settled = input.unregistered
      .filter((d) => !known.has(d.token) && input.now - d.modifiedAt >= input.unregisteredGraceMs)
      .sort((a, b) => b.modifiedAt - a.modifiedAt);
    const slots = Math.max(0, keep - Math.min(keep, builds.length));
    remove.push(...settled.slice(slots).map((d) => d.token));
  }
  return { remove, builds: kept };
}
