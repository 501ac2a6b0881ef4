import { ReactorError } from '@openexp/errors';
import type { ArchiveSnapshot, HostSnapshot, RepublishBuildJob } from '@openexp/queue-contracts';
import { archiveLibrary } from '../build/library-archive';
import type { BuiltLibrary } from '../build/library-builder';
import type { LibraryArchiver } from '../build/threaded-library-builder';
import type { ServerKeysProvider } from '../keys/server-keys.provider';
import type { Deliverable } from '../build/deliverable';
import type { DeployedFiles } from './deploy.types';
import type { ManagedHostDeployer } from './managed-host.deployer';
import type { SftpHostDeployer } from './sftp-host.deployer';

/** Sends a built library to the environment's host: its files, or for archive environments one ZIP. */
export class LibraryDeployer {
  constructor(
    private readonly managed: ManagedHostDeployer,
    private readonly sftp: SftpHostDeployer,
    private readonly keys: ServerKeysProvider,
    /** Packs the ZIP; the worker packs it in a build thread (ThreadedLibraryBuilder.archive). */
    private readonly archiver: LibraryArchiver = archiveLibrary,
  ) {}

  async deploy(host: HostSnapshot, library: BuiltLibrary, archive?: ArchiveSnapshot | null): Promise<DeployedFiles> {
    const delivery: Deliverable = archive ? await this.archiver(library, await this.archivePassphrase(archive)) : library;
    if (host.type === 'akamai') {
      return this.managed.deploy(delivery);
    }
    const privateKey = await this.keys.decrypt(host.encryptedPrivateKey);
    return this.sftp.deploy(host, privateKey, delivery);
  }

  /** Nest calls this on shutdown, after the queue workers have closed. */
  async onApplicationShutdown(): Promise<void> {
    await this.managed.close();
  }

  /** Republish is offered for managed hosts only (reactor-api refuses the others). */
  async republish(job: RepublishBuildJob): Promise<DeployedFiles> {
    return this.managed.republish(job);
  }

  /**
   * The archive passphrase, decrypted in memory only. Same codes as a host key, with a detail about
   * the passphrase: it was encrypted by reactor-api to the server key when the environment was saved.
   */
  private async archivePassphrase(archive: ArchiveSnapshot): Promise<string | null> {
    if (archive.encryptedPassphrase === null) {
      return null;
    }
    try {
      return await this.keys.decrypt(archive.encryptedPassphrase);
    } catch (error) {
      if (error instanceof ReactorError && (error.code === 'decrypt-failed' || error.code === 'decrypt-no-data')) {
        throw new ReactorError(
          'decrypt-failed',
          "The environment's archive passphrase could not be decrypted with the server's key (it was saved with another key, or is corrupted); set archive_passphrase again.",
          { cause: error },
        );
      }
      throw error;
    }
  }
}
