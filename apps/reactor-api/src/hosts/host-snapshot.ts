import type { HostSnapshot, SftpHostSnapshot } from '@openexp/queue-contracts';
import type { HostRow } from '../database/schema';

/** The SFTP host as the worker receives it (pretest jobs and build snapshots). */
export function sftpHostSnapshot(host: HostRow): SftpHostSnapshot {
  return {
    id: host.id,
    type: 'sftp',
    name: host.name,
    server: host.server ?? '',
    port: host.port ?? 22,
    username: host.username ?? '',
    path: host.path ?? '',
    skipSymlinks: host.skip_symlinks,
    encryptedPrivateKey: host.encrypted_private_key,
  };
}

/** Any host as a build snapshot carries it. */
export function hostSnapshot(host: HostRow): HostSnapshot {
  return host.type_of === 'sftp' ? sftpHostSnapshot(host) : { id: host.id, type: 'akamai', name: host.name };
}
