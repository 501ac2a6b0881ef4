import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Answers one request whose body has been read whole. */
export type LoopbackHandler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;

/**
 * A real HTTP server on 127.0.0.1 and a free port, for what reactor-api calls out to in tests
 * (callback receivers, OAuth2 token endpoints). `url` is set once {@link start} resolves.
 */
export class LoopbackServer {
  private server: Server | undefined;
  url = '';

  constructor(private readonly handler: LoopbackHandler) {}

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handler(req, Buffer.concat(chunks), res));
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
