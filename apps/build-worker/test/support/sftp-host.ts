import { join } from 'node:path';
import type { SftpHostSnapshot } from '@openexp/queue-contracts';
import { loadOrCreateServerKeys } from '@openexp/server-keys';
import { idOf } from '../../src/test/snapshot.factory';
import { encryptWithOpenpgp } from './encrypt';
import type { PrivateSshd } from '@openexp/test-sshd';

/**
 * An SFTP host reaching `sshd` through `port` (the sshd's own, or a proxy in front of it), with the
 * test client key encrypted to the server key found in `serverKeyDir`, as users would send it.
 */
export async function sftpHostFor(
  sshd: PrivateSshd,
  options: { port: number; serverKeyDir: string; path: string; skipSymlinks: boolean },
): Promise<SftpHostSnapshot> {
  const keys = await loadOrCreateServerKeys({ dir: options.serverKeyDir });
  return {
    id: idOf('HT'),
    type: 'sftp',
    name: 'sftp',
    server: '127.0.0.1',
    port: options.port,
    username: sshd.username,
    path: join(sshd.root, options.path),
    skipSymlinks: options.skipSymlinks,
    encryptedPrivateKey: await encryptWithOpenpgp(keys.publicKeyArmored, sshd.clientKey.privateKey),
  };
}
