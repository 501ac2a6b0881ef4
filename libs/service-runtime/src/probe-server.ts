import { createServer, type Server } from 'node:http';
import type { Metrics } from './metrics';
import type { Readiness } from './readiness';

/**
 * A tiny HTTP server for processes without an HTTP app (the build worker): `/healthz`, `/readyz`,
 * `/metrics`. Resolves once listening; `port` 0 picks a free port.
 */
export async function startProbeServer(port: number, metrics: Metrics, readiness: Readiness, host = '0.0.0.0'): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, 'application/json', JSON.stringify({ error: 'method not allowed' }));
      return;
    }
    if (path === '/healthz') {
      send(200, 'application/json', JSON.stringify({ status: 'ok' }));
    } else if (path === '/readyz') {
      readiness.report().then(
        (report) => send(report.ready ? 200 : 503, 'application/json', JSON.stringify(report)),
        () => send(503, 'application/json', JSON.stringify({ ready: false })),
      );
    } else if (path === '/metrics') {
      metrics.render().then(
        ({ contentType, body }) => send(200, contentType, body),
        () => send(500, 'text/plain', 'metrics unavailable'),
      );
    } else {
      send(404, 'application/json', JSON.stringify({ error: 'not found' }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
