import type { HostSnapshot } from '@openexp/queue-contracts';
import type { BuiltLibrary } from '../build/library-builder';
import type { ServerKeysProvider } from '../keys/server-keys.provider';
import type { DeployedFiles } from './deploy.types';
import type { ManagedHostDeployer } from './managed-host.deployer';
import type { SftpHostDeployer } from './sftp-host.deployer';

/** Sends a built library to the environment's host. */
export class LibraryDeployer {
  constructor(
    private readonly managed: ManagedHostDeployer,
    private readonly sftp: SftpHostDeployer,
    private readonly keys: ServerKeysProvider,
  ) {}

  async deploy(host: HostSnapshot, library: BuiltLibrary): Promise<DeployedFiles> {
    if (host.type === 'akamai') {
      return this.managed.deploy(library);
    }
    const privateKey = await this.keys.decrypt(host.encryptedPrivateKey);
    return this.sftp.deploy(host, privateKey, library);
  }
}
