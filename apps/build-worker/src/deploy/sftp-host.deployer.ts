import { posix } from 'node:path';
import type { SftpHostSnapshot } from '@openexp/queue-contracts';
import type { Logger } from 'pino';
import type { SftpRepository, SftpSession } from '../sftp/sftp.repository';
import { markerName, markerOf, mayBecomeCurrent, parseMarker } from './current-marker';
import { DEPLOYED_MARKER, deployedMarker, parseDeployedMarker } from './deploy-marker';
import { type EnvironmentLock, InProcessLock } from './environment-lock';
import type { Deliverable } from '../build/deliverable';
import { currentEntryNames, deployedPaths, type DeployedFiles } from './deploy.types';

/** Suffix of files being uploaded; deterministic, so a retry overwrites its own leftovers. */
const PART = '.part';

/**
 * Deploys to an SFTP host (reactor-api.md §4.5): every file is uploaded into
 * `{host.path}/{library_path}/{build.token}/` under a temporary name and renamed into place; only
 * then are the current entries switched — a symlink into the build directory, or a copy with
 * `skip_symlinks` — each through an atomic rename. An archive environment's delivery is the same
 * with one file, the ZIP. A failure at any step leaves the previous
 * library current, and a newer build already current stays current.
 *
 * Reading the marker and switching the entries happen under the destination's lock (the workers'
 * shared Redis lock in production), so two builds of one environment finishing together on two
 * workers cannot both find the marker older than themselves and end with the older one current.
 * Uploads run outside the lock: only the few round trips of the switch are serialised.
 * Last, the build's deploy marker (deploy-marker.ts); a build that has one is not deployed again.
 */
export class SftpHostDeployer {
  private readonly lock: EnvironmentLock;

  constructor(
    private readonly sftp: SftpRepository,
    lock?: EnvironmentLock,
    private readonly logger?: Logger,
  ) {
    this.lock = lock ?? new InProcessLock();
  }

  async deploy(host: SftpHostSnapshot, privateKey: string, library: Deliverable): Promise<DeployedFiles> {
    const session = await this.sftp.open({ host: host.server, port: host.port, username: host.username }, privateKey);
    try {
      const buildDir = posix.join(host.path || '.', library.layout.libraryPath, library.layout.buildToken);
      const deployedPath = posix.join(buildDir, DEPLOYED_MARKER);
      const done = parseDeployedMarker((await session.exists(deployedPath)) === '-' ? (await session.get(deployedPath)).toString('utf8') : undefined, library.build.id);
      if (done !== undefined) {
        this.logger?.info(
          { buildId: done.buildId, deployedAt: done.deployedAt, server: host.server },
          `Deploy of build ${done.buildId} skipped: it was deployed to ${host.server}:${buildDir} at ${done.deployedAt}`,
        );
        return done.files;
      }
      const deployed = deployedPaths(library, await this.upload(session, host, library));
      // Last: the deploy marker (deploy-marker.ts), through a rename like every other file.
      await session.put(JSON.stringify(deployedMarker(library.build.id, deployed)), `${deployedPath}${PART}`);
      await session.rename(`${deployedPath}${PART}`, deployedPath);
      return deployed;
    } finally {
      await session.close();
    }
  }

  /** Returns whether this build became current. */
  private async upload(session: SftpSession, host: SftpHostSnapshot, library: Deliverable): Promise<boolean> {
    const root = posix.join(host.path || '.', library.layout.libraryPath);
    const buildDir = posix.join(root, library.layout.buildToken);
    const dirs = new Set(library.files.map((f) => posix.dirname(posix.join(buildDir, f.path))));
    for (const dir of [...dirs].sort()) {
      await session.mkdirp(dir);
    }
    for (const file of library.files) {
      const target = posix.join(buildDir, file.path);
      await session.put(file.content, `${target}${PART}`);
    }
    for (const file of library.files) {
      const target = posix.join(buildDir, file.path);
      await session.rename(`${target}${PART}`, target);
    }
    const marker = posix.join(root, markerName(library));
    // The destination as every worker names it: the same server, port and directory.
    const key = `sftp:${host.server}:${host.port}:${marker}`;
    return this.lock.run(key, () => this.switchCurrent(session, host, library, root, marker));
  }

  /** Under the destination's lock: makes this build current unless a newer one already is. */
  private async switchCurrent(session: SftpSession, host: SftpHostSnapshot, library: Deliverable, root: string, marker: string): Promise<boolean> {
    const existing = (await session.exists(marker)) === '-' ? parseMarker((await session.get(marker)).toString('utf8')) : undefined;
    if (!mayBecomeCurrent(markerOf(library), existing)) {
      return false;
    }
    const byName = new Map(library.files.map((f) => [f.path, f.content] as const));
    for (const name of currentEntryNames(library)) {
      const current = posix.join(root, name);
      const temp = posix.join(root, `.${name}${PART}`);
      await session.remove(temp);
      if (host.skipSymlinks) {
        await session.put(byName.get(name) ?? '', temp);
      } else {
        await session.symlink(`${library.layout.buildToken}/${name}`, temp);
      }
      await session.rename(temp, current);
    }
    const markerTemp = `${marker}${PART}`;
    await session.put(JSON.stringify(markerOf(library)), markerTemp);
    await session.rename(markerTemp, marker);
    return true;
  }
}
