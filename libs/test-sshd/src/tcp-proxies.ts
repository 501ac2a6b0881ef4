/**
 * Loopback TCP endpoints that stand between a client and a test sshd to break the connection in
 * known ways: silence, a cut mid-upload, a gate held until the test opens it, a switchable target.
 */

import { connect, createServer, type Server, type Socket } from 'node:net';

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
