import type { BlobStore } from '@openexp/blob-store';
import { ReactorError } from '@openexp/errors';
import type { RepublishBuildJob } from '@openexp/queue-contracts';
import type { Logger } from 'pino';
import { libraryBaseName } from '../build/library-names';
import { keepFor, planRetention, registered, type UnregisteredDirectory } from './build-retention';
import {
  type CurrentMarker,
  type EnvironmentState,
  markerNameFor,
  markerOf,
  mayBecomeCurrent,
  parseEnvironmentState,
  serializeEnvironmentState,
  type StoredBuild,
} from './current-marker';
import { DEPLOYED_MARKER, deployedMarker, parseDeployedMarker } from './deploy-marker';
import type { Deliverable } from '../build/deliverable';
import { currentEntryNames, deployedPaths, type DeployedFiles } from './deploy.types';
import { type EnvironmentLock, InProcessLock } from './environment-lock';

/** Blob prefix reactor-api serves at `/hosted/*`. */
export const HOSTED_PREFIX = 'hosted';

export interface ManagedHostOptions {
  /** Build directories kept per environment (at least five in production); 0 keeps all. Default 5. */
  keepBuilds?: number;
  /** Shared by every worker on the same storage; the default serialises within this process only. */
  lock?: EnvironmentLock;
  /** How long a directory missing from the register must be left unchanged before retention deletes it. Default 1 h. */
  unregisteredGraceMs?: number;
  logger?: Logger;
}

/** One environment's place in managed storage. */
interface EnvironmentPlace {
  libraryPath: string;
  /** `launch-{env.token}[-stage]` */
  base: string;
  production: boolean;
}

/**
 * Deploys to the managed (`akamai`) host: the blob store. The build directory is written first,
 * then — under the environment's lock — the current entries are overwritten with copies (each put
 * is atomic), so the embed URL switches from the previous complete library to the new complete one,
 * unless a newer build of the environment is already current. Then the environment's old build
 * directories are deleted beyond the newest `keepBuilds` (build-retention.ts), never the current one.
 * Last, the build's deploy marker (deploy-marker.ts); a build that has one is not deployed again.
 */
export class ManagedHostDeployer {
  private readonly keepBuilds: number;
  private readonly lock: EnvironmentLock;
  private readonly unregisteredGraceMs: number;

  constructor(
    private readonly blobs: BlobStore,
    private readonly options: ManagedHostOptions = {},
  ) {
    this.keepBuilds = options.keepBuilds ?? 5;
    this.lock = options.lock ?? new InProcessLock();
    this.unregisteredGraceMs = options.unregisteredGraceMs ?? 3_600_000;
  }

  async deploy(delivery: Deliverable): Promise<DeployedFiles> {
    const { layout, files } = delivery;
    const deployedKey = `${HOSTED_PREFIX}/${layout.buildDir}/${DEPLOYED_MARKER}`;
    const done = parseDeployedMarker((await this.blobs.stat(deployedKey)) ? (await this.blobs.get(deployedKey)).toString('utf8') : undefined, delivery.build.id);
    if (done !== undefined) {
      this.options.logger?.info({ buildId: done.buildId, deployedAt: done.deployedAt }, `Deploy of build ${done.buildId} skipped: it was deployed to ${layout.buildDir} at ${done.deployedAt}`);
      return done.files;
    }
    for (const file of files) {
      await this.blobs.put(`${HOSTED_PREFIX}/${layout.buildDir}/${file.path}`, file.content);
    }
    const place: EnvironmentPlace = { libraryPath: layout.libraryPath, base: layout.baseName, production: layout.stage === 'production' };
    return this.lock.run(`${place.libraryPath}/${place.base}`, async () => {
      // Whatever a concurrent retention removed while the files were uploading is written again.
      for (const file of files) {
        if ((await this.blobs.stat(`${HOSTED_PREFIX}/${layout.buildDir}/${file.path}`)) === undefined) {
          await this.blobs.put(`${HOSTED_PREFIX}/${layout.buildDir}/${file.path}`, file.content);
        }
      }
      const byName = new Map(files.map((f) => [f.path, f.content] as const));
      const entries = currentEntryNames(delivery).map((name) => ({ name, content: byName.get(name) ?? '' }));
      const became = await this.settle(place, entries, markerOf(delivery), { ...delivery.build, token: layout.buildToken });
      const deployed = deployedPaths(delivery, became);
      // Last, still under the lock: the deploy marker, unless retention has just removed this
      // (older) build's directory, which the marker alone would bring back.
      if ((await this.blobs.list(`${HOSTED_PREFIX}/${layout.buildDir}/`)).length > 0) {
        await this.blobs.put(deployedKey, JSON.stringify(deployedMarker(delivery.build.id, deployed)));
      }
      return deployed;
    });
  }

  /**
   * Republish (§2.6): copies the build directory's `launch-….js|.min.js` over the current entries,
   * unless something requested later (a newer build, another republish) is current already. Returns
   * the entries rewritten (none when superseded). Idempotent: a retry rewrites the same copies.
   * @throws ReactorError `unknown-error` (permanent) when the build's files are no longer stored.
   */
  async republish(job: RepublishBuildJob): Promise<DeployedFiles> {
    const { build, environment } = job;
    const base = libraryBaseName(environment.token, environment.stage);
    const place: EnvironmentPlace = { libraryPath: environment.libraryPath, base, production: environment.stage === 'production' };
    const buildDir = `${environment.libraryPath}/${build.token}`;
    return this.lock.run(`${place.libraryPath}/${base}`, async () => {
      const entries: Array<{ name: string; content: Buffer }> = [];
      for (const name of [`${base}.js`, `${base}.min.js`]) {
        const key = `${HOSTED_PREFIX}/${buildDir}/${name}`;
        if ((await this.blobs.stat(key)) === undefined) {
          throw new ReactorError('unknown-error', `Build ${build.id} cannot be republished: its file ${buildDir}/${name} is no longer in managed storage.`);
        }
        entries.push({ name, content: await this.blobs.get(key) });
      }
      const marker = { buildId: build.id, createdAt: build.createdAt, republishedAt: job.requestedAt };
      const became = await this.settle(place, entries, marker, build);
      return became ? entries.map((e) => `${environment.libraryPath}/${e.name}`) : [];
    });
  }

  /** Closes the lock's connection (shutdown). */
  async close(): Promise<void> {
    await this.lock.close?.();
  }

  /**
   * Under the lock: overwrites the current entries if `marker` may become current, registers the
   * build's complete directory, applies retention, and writes the marker file. Returns whether the
   * build became current.
   */
  private async settle(
    place: EnvironmentPlace,
    entries: ReadonlyArray<{ name: string; content: string | Buffer }>,
    marker: CurrentMarker,
    build: StoredBuild,
  ): Promise<boolean> {
    const markerKey = `${HOSTED_PREFIX}/${place.libraryPath}/${markerNameFor(place.base)}`;
    const state = parseEnvironmentState((await this.blobs.stat(markerKey)) ? (await this.blobs.get(markerKey)).toString('utf8') : undefined);
    const became = mayBecomeCurrent(marker, state.current);
    if (became) {
      for (const entry of entries) {
        await this.blobs.put(`${HOSTED_PREFIX}/${place.libraryPath}/${entry.name}`, entry.content);
      }
    }
    const next: EnvironmentState = {
      current: became ? marker : state.current,
      builds: registered(state.builds, { id: build.id, token: build.token, createdAt: build.createdAt }),
    };
    const remove = await this.planRetention(place, next);
    await this.blobs.put(markerKey, serializeEnvironmentState(next));
    await this.removeDirectories(place, remove);
    return became;
  }

  /** Decides which directories go, and prunes them from `state.builds`; a failure to look only skips retention. */
  private async planRetention(place: EnvironmentPlace, state: EnvironmentState): Promise<string[]> {
    const keep = keepFor(this.keepBuilds, place.production);
    if (keep === 0) {
      return [];
    }
    try {
      const { present, unregistered } = await this.scan(place, new Set(state.builds.map((b) => b.token)));
      const plan = planRetention({ keep, state, present, unregistered, now: Date.now(), unregisteredGraceMs: this.unregisteredGraceMs });
      state.builds = plan.builds;
      return plan.remove;
    } catch (error) {
      this.options.logger?.warn({ err: error, environment: place.base }, `Retention of ${place.libraryPath}/${place.base} skipped: storage could not be listed`);
      return [];
    }
  }

  /**
   * The build directories under the library path: every one present, and those of this environment
   * missing from the register (they hold a file named after it) with their newest file's time.
   */
  private async scan(place: EnvironmentPlace, known: ReadonlySet<string>): Promise<{ present: Set<string>; unregistered: UnregisteredDirectory[] }> {
    const root = `${HOSTED_PREFIX}/${place.libraryPath}/`;
    const byDir = new Map<string, string[]>();
    for (const key of await this.blobs.list(root)) {
      const rest = key.slice(root.length);
      const slash = rest.indexOf('/');
      if (slash > 0) {
        const dir = rest.slice(0, slash);
        const files = byDir.get(dir) ?? [];
        files.push(rest.slice(slash + 1));
        byDir.set(dir, files);
      }
    }
    const own = new Set([`${place.base}.js`, `${place.base}.min.js`, `${place.base}.zip`]);
    const unregistered: UnregisteredDirectory[] = [];
    for (const [dir, files] of byDir) {
      if (known.has(dir) || !files.some((f) => own.has(f))) {
        continue;
      }
      let modifiedAt = 0;
      for (const file of files) {
        modifiedAt = Math.max(modifiedAt, (await this.blobs.stat(`${root}${dir}/${file}`))?.modifiedAt.getTime() ?? Number.MAX_SAFE_INTEGER);
      }
      unregistered.push({ token: dir, modifiedAt });
    }
    return { present: new Set(byDir.keys()), unregistered };
  }

  private async removeDirectories(place: EnvironmentPlace, tokens: readonly string[]): Promise<void> {
    const removed: string[] = [];
    for (const token of tokens) {
      try {
        await this.blobs.deletePrefix(`${HOSTED_PREFIX}/${place.libraryPath}/${token}/`);
        removed.push(token);
      } catch (error) {
        this.options.logger?.warn({ err: error, token }, `Build directory ${place.libraryPath}/${token} could not be deleted; the next build retries`);
      }
    }
    if (removed.length > 0) {
      this.options.logger?.info({ removed }, `Retention removed ${removed.length} build director${removed.length === 1 ? 'y' : 'ies'} of ${place.libraryPath}/${place.base}`);
    }
  }
}
