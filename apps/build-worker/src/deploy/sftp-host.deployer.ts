import { posix } from 'node:path';
import type { SftpHostSnapshot } from '@openexp/queue-contracts';
import type { BuiltLibrary } from '../build/library-builder';
import type { SftpRepository, SftpSession } from '../sftp/sftp.repository';
import { markerName, markerOf, mayBecomeCurrent, parseMarker } from './current-marker';
import { currentEntryNames, deployedPaths, type DeployedFiles } from './deploy.types';

/** Suffix of files being uploaded; deterministic, so a retry overwrites its own leftovers. */
const PART = '.part';

/**
 * Deploys to an SFTP host (reactor-api.md §4.5): every file is uploaded into
 * `{host.path}/{library_path}/{build.token}/` under a temporary name and renamed into place; only
 * then are the current entries switched — a symlink into the build directory, or a copy with
 * `skip_symlinks` — each through an atomic rename. A failure at any step leaves the previous
 * library current, and a newer build already current stays current.
 */
export class SftpHostDeployer {
  constructor(private readonly sftp: SftpRepository) {}

  async deploy(host: SftpHostSnapshot, privateKey: string, library: BuiltLibrary): Promise<DeployedFiles> {
    const session = await this.sftp.open({ host: host.server, port: host.port, username: host.username }, privateKey);
    try {
      return deployedPaths(library, await this.upload(session, host, library));
    } finally {
      await session.close();
    }
  }

  /** Returns whether this build became current. */
  private async upload(session: SftpSession, host: SftpHostSnapshot, library: BuiltLibrary): Promise<boolean> {
    const root = posix.join(host.path || '.', library.layout.libraryPath);
    const buildDir = posix.join(root, posix.basename(library.layout.buildDir));
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
        await session.symlink(`${posix.basename(library.layout.buildDir)}/${name}`, temp);
      }
      await session.rename(temp, current);
    }
    const markerTemp = `${marker}${PART}`;
    await session.put(JSON.stringify(markerOf(library)), markerTemp);
    await session.rename(markerTemp, marker);
    return true;
  }
}
