import { posix } from 'node:path';
import { ReactorError } from '@openexp/errors';
import type { PretestHostJob } from '@openexp/queue-contracts';
import type { ServerKeysProvider } from '../keys/server-keys.provider';
import { endpointLabel } from '../sftp/sftp-errors';
import type { SftpRepository } from '../sftp/sftp.repository';

/**
 * Pretests an SFTP host (reactor-api.md §4.7): decrypt the key, connect, create a probe folder under
 * the host's path, write a file, read it back, and remove both.
 */
export class HostPretester {
  constructor(
    private readonly sftp: SftpRepository,
    private readonly keys: ServerKeysProvider,
  ) {}

  async pretest(job: PretestHostJob): Promise<void> {
    const host = job.host;
    const privateKey = await this.keys.decrypt(host.encryptedPrivateKey);
    const endpoint = { host: host.server, port: host.port, username: host.username };
    const session = await this.sftp.open(endpoint, privateKey);
    try {
      const dir = posix.join(host.path || '.', `.openexp-pretest-${job.hostId}-r${job.hostRevision}`);
      const file = posix.join(dir, 'probe.txt');
      const content = `OpenExp host pretest ${job.hostId} revision ${job.hostRevision}\n`;
      await session.mkdirp(dir);
      await session.put(content, file);
      const back = await session.get(file);
      await session.remove(file);
      await session.rmdir(dir);
      if (back.toString('utf8') !== content) {
        throw new ReactorError('sftp-exception', `A file written to ${endpointLabel(endpoint)} read back differently.`);
      }
    } finally {
      await session.close();
    }
  }
}
