import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
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
    await writeFile(
      join(dir, 'sshd_config'),
      [
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
      ].join('\n'),
    );
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

/** A TCP listener that accepts connections and never says anything. */
export async function silentListener(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: portOf(server), close: () => closeServer(server, sockets) };
}

/**
 * A TCP proxy to `targetPort` that cuts both sides once the client has sent `cutAfterBytes`
 * (simulates a connection lost mid-upload).
 */
export async function cuttingProxy(targetPort: number, cutAfterBytes: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    let sent = 0;
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    upstream.on('data', (d: Buffer) => client.write(d));
    client.on('data', (d: Buffer) => {
      sent += d.length;
      if (sent > cutAfterBytes) {
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(d);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: portOf(server), close: () => closeServer(server, sockets) };
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('no port');
  }
  return address.port;
}

/** Connects `client` to 127.0.0.1:`targetPort` (after replaying `chunks` it sent before) and pipes both ways. */
function pipeTo(targetPort: number, client: Socket, sockets: Set<Socket>, chunks: Buffer[] = []): void {
  const upstream = connect(targetPort, '127.0.0.1');
  sockets.add(upstream);
  upstream.on('error', () => undefined);
  for (const chunk of chunks) {
    upstream.write(chunk);
  }
  client.removeAllListeners('data');
  client.pipe(upstream);
  upstream.pipe(client);
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const s of sockets) {
    s.destroy();
  }
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * A TCP proxy that holds every connection (buffering what the client sends) until `open()`, then
 * forwards held and new connections to `targetPort`. Lets a test stop a deploy at a known point.
 */
export async function gateProxy(targetPort: number): Promise<{ port: number; connections(): number; open(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const held: Array<{ client: Socket; chunks: Buffer[] }> = [];
  let opened = false;
  let count = 0;
  const forward = (client: Socket, chunks: Buffer[]): void => pipeTo(targetPort, client, sockets, chunks);
  const server = createServer((client) => {
    count += 1;
    sockets.add(client);
    client.on('error', () => undefined);
    if (opened) {
      forward(client, []);
      return;
    }
    const entry = { client, chunks: [] as Buffer[] };
    client.on('data', (d: Buffer) => entry.chunks.push(d));
    held.push(entry);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: portOf(server),
    connections: () => count,
    open: () => {
      opened = true;
      for (const { client, chunks } of held.splice(0)) {
        if (!client.destroyed) {
          forward(client, chunks);
        }
      }
    },
    close: () => closeServer(server, sockets),
  };
}

/** A loopback port whose behaviour towards new connections a test can change; see {@link switchableEndpoint}. */
export interface SwitchableEndpoint {
  port: number;
  /** New connections are piped to 127.0.0.1:`targetPort` (e.g. an sshd, or its read-only port). */
  forwardTo(targetPort: number): void;
  /** New connections are accepted and never answered: an SSH server that never completes a handshake. */
  silence(): void;
  /** Stops listening and drops every connection: the port is closed and connecting is refused. */
  close(): Promise<void>;
}

/**
 * A TCP endpoint on loopback that first forwards to `targetPort` and can then be switched to
 * another target, to silence, or closed. It lets a host pass its pretest against a working server
 * and then breaks the server for the builds that follow, without changing the host (which would
 * pretest it again).
 */
export async function switchableEndpoint(targetPort: number): Promise<SwitchableEndpoint> {
  const sockets = new Set<Socket>();
  let target: number | undefined = targetPort;
  const server = createServer((client) => {
    sockets.add(client);
    client.on('error', () => undefined);
    if (target !== undefined) {
      pipeTo(target, client, sockets);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: portOf(server),
    forwardTo: (port) => {
      target = port;
    },
    silence: () => {
      target = undefined;
    },
    close: () => closeServer(server, sockets),
  };
}
