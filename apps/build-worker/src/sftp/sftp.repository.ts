import { ReactorError } from '@openexp/errors';
import type { SFTPWrapper } from 'ssh2';
import { utils as ssh2Utils } from 'ssh2';
import SftpClient from 'ssh2-sftp-client';
import { endpointLabel, mapSftpError, type SftpEndpoint } from './sftp-errors';

export interface SftpTimeouts {
  /** TCP connect + SSH handshake. */
  connectTimeoutMs: number;
  /** Each operation once connected. */
  operationTimeoutMs: number;
}

/**
 * Checks that decrypted key material is an SSH private key we can use without a passphrase.
 * @throws ReactorError `decrypt-bad-passphrase` (the key is passphrase-protected) or `decrypt-failed` (not a key).
 */
export function assertUsablePrivateKey(privateKey: string): void {
  const parsed = ssh2Utils.parseKey(privateKey);
  if (parsed instanceof Error) {
    if (/passphrase|encrypted/i.test(parsed.message)) {
      throw new ReactorError('decrypt-bad-passphrase', 'The decrypted SSH private key is protected by a passphrase; encrypt an unprotected key.');
    }
    throw new ReactorError('decrypt-failed', 'The decrypted data is not an SSH private key.');
  }
}

/** Opens SFTP sessions (the side-effect seam of SFTP deploys and pretests). */
export class SftpRepository {
  constructor(private readonly timeouts: SftpTimeouts) {}

  async open(endpoint: SftpEndpoint, privateKey: string): Promise<SftpSession> {
    assertUsablePrivateKey(privateKey);
    const state = { disconnected: false, ended: false };
    const noop = (): void => undefined;
    const client = new SftpClient(`sftp-${endpointLabel(endpoint)}`, {
      error: noop,
      end: () => {
        state.disconnected = !state.ended;
      },
      close: () => {
        state.disconnected = !state.ended;
      },
    });
    try {
      const wrapper = await client.connect({
        host: endpoint.host,
        port: endpoint.port,
        username: endpoint.username,
        privateKey,
        readyTimeout: this.timeouts.connectTimeoutMs,
        timeout: this.timeouts.connectTimeoutMs,
        retries: 0,
        keepaliveInterval: 10000,
        keepaliveCountMax: 3,
      } as SftpClient.ConnectOptions);
      return new SftpSession(client, wrapper, endpoint, state, this.timeouts);
    } catch (error) {
      state.ended = true;
      await client.end().catch(() => undefined);
      throw mapSftpError(error, { endpoint, phase: 'connect', connectTimeoutMs: this.timeouts.connectTimeoutMs });
    }
  }
}

/** One connected session; every failure comes out as a mapped `ReactorError`. */
export class SftpSession {
  constructor(
    private readonly client: SftpClient,
    private readonly wrapper: SFTPWrapper,
    private readonly endpoint: SftpEndpoint,
    private readonly state: { disconnected: boolean; ended: boolean },
    private readonly timeouts: SftpTimeouts,
  ) {}

  mkdirp(path: string): Promise<void> {
    return this.op(`mkdir ${path}`, async () => {
      if ((await this.client.exists(path)) !== 'd') {
        await this.client.mkdir(path, true);
      }
    });
  }

  put(content: Buffer | string, path: string): Promise<void> {
    return this.op(`put ${path}`, async () => {
      await this.client.put(Buffer.isBuffer(content) ? content : Buffer.from(content), path);
    });
  }

  get(path: string): Promise<Buffer> {
    return this.op(`get ${path}`, async () => (await this.client.get(path)) as Buffer);
  }

  /** Atomic replace (`posix-rename@openssh.com`): readers see the old target or the new one. */
  rename(from: string, to: string): Promise<void> {
    return this.op(`rename ${to}`, async () => {
      await this.client.posixRename(from, to);
    });
  }

  /** Creates `linkPath` pointing at `target` (a path relative to the link's folder). */
  symlink(target: string, linkPath: string): Promise<void> {
    return this.op(
      `symlink ${linkPath}`,
      () =>
        new Promise<void>((resolve, reject) => {
          this.wrapper.symlink(target, linkPath, (err) => (err ? reject(err) : resolve()));
        }),
    );
  }

  /** Removes a file or link; absent is fine. */
  remove(path: string): Promise<void> {
    return this.op(`delete ${path}`, async () => {
      if ((await this.client.exists(path)) !== false) {
        await this.client.delete(path, true);
      }
    });
  }

  rmdir(path: string): Promise<void> {
    return this.op(`rmdir ${path}`, async () => {
      await this.client.rmdir(path, false);
    });
  }

  /** Type of a remote entry (`-` file, `d` folder, `l` link) or false. */
  exists(path: string): Promise<false | 'd' | '-' | 'l'> {
    return this.op(`stat ${path}`, () => this.client.exists(path));
  }

  async close(): Promise<void> {
    this.state.ended = true;
    await this.client.end().catch(() => undefined);
  }

  private async op<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error(`${operation} timed out`), { code: 'ETIMEDOUT' })), this.timeouts.operationTimeoutMs);
      });
      return await Promise.race([fn(), timeout]);
    } catch (error) {
      throw mapSftpError(error, { endpoint: this.endpoint, phase: 'transfer', disconnected: this.state.disconnected, operation });
    } finally {
      clearTimeout(timer);
    }
  }
}
