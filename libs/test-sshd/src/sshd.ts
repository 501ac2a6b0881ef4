import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const SSHD_BIN = '/usr/sbin/sshd';

/** Fails loudly (never skips) when OpenSSH is missing. */
export function requireSshd(): void {
  if (!existsSync(SSHD_BIN) || !existsSync('/usr/bin/ssh-keygen')) {
    throw new Error(`OpenSSH is required for these tests: ${SSHD_BIN} or ssh-keygen is missing. Install it with: apt-get install -y openssh-server`);
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') {
    throw new Error('no port');
  }
  return address.port;
}

export interface SshKeyPair {
  privateKey: string;
  publicKey: string;
}

export async function generateSshKey(dir: string, name: string): Promise<SshKeyPair> {
  const file = join(dir, name);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file]);
  return { privateKey: await readFile(file, 'utf8'), publicKey: await readFile(`${file}.pub`, 'utf8') };
}

/**
 * A private OpenSSH server on loopback for one test file: own host key, own authorized_keys, the
 * internal SFTP subsystem, running as the current user, in the foreground. `port` accepts writes;
 * `readOnlyPort` serves the same files with `internal-sftp -R`, so every write is refused with
 * SSH_FX_PERMISSION_DENIED (a root test process could otherwise write to any folder).
 */
export class PrivateSshd {
  private process: ChildProcess | undefined;
  private log = '';

  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly readOnlyPort: number,
    readonly username: string,
    /** Folder SFTP hosts of the tests write to. */
    readonly root: string,
    /** Key in authorized_keys. */
    readonly clientKey: SshKeyPair,
  ) {}

  static async start(): Promise<PrivateSshd> {
    requireSshd();
    const dir = await mkdtemp(join(tmpdir(), 'sshd-'));
    const root = join(dir, 'www');
    await mkdir(root);
    if (process.getuid?.() === 0) {
      // sshd started by root needs its privilege separation folder.
      await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
    }
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
    const clientKey = await generateSshKey(dir, 'client_key');
    await writeFile(join(dir, 'authorized_keys'), clientKey.publicKey, { mode: 0o600 });
    const [port, readOnlyPort] = [await freePort(), await freePort()];
    const username = userInfo().username;
    await writeFile(join(dir, 'sshd_config'), sshdConfig(dir, port, readOnlyPort, username));
    const sshd = new PrivateSshd(dir, port, readOnlyPort, username, root, clientKey);
    await sshd.spawn();
    return sshd;
  }

  private async spawn(): Promise<void> {
    const child = spawn(SSHD_BIN, ['-D', '-e', '-f', join(this.dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.process = child;
    child.stderr?.on('data', (chunk: Buffer) => {
      this.log += chunk.toString();
    });
    const deadline = Date.now() + 15000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`sshd exited with ${child.exitCode}: ${this.log}`);
      }
      if ((await banner(this.port)) && (await banner(this.readOnlyPort))) {
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`sshd did not start: ${this.log}`);
  }

  /** Replaces authorized_keys (e.g. to revoke the client key). */
  async authorize(publicKeys: string[]): Promise<void> {
    await writeFile(join(this.dir, 'authorized_keys'), publicKeys.join(''), { mode: 0o600 });
  }

  get output(): string {
    return this.log;
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Both ports on loopback, keys in `dir`, public-key login of `username` only, SFTP read-only on `readOnlyPort`. */
function sshdConfig(dir: string, port: number, readOnlyPort: number, username: string): string {
  return [
    `Port ${port}`,
    `Port ${readOnlyPort}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_key')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'UsePAM no',
    'StrictModes no',
    `AllowUsers ${username}`,
    'Subsystem sftp internal-sftp',
    'LogLevel INFO',
    `Match LocalPort ${readOnlyPort}`,
    '  ForceCommand internal-sftp -R',
    '',
  ].join('\n');
}

/** True when something on the port sends an SSH banner. */
function banner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('data', (d: Buffer) => done(d.toString().startsWith('SSH-')));
    socket.once('error', () => done(false));
  });
}
