import type { AddressInfo } from 'node:net';
import { Metrics } from './metrics';
import { startProbeServer } from './probe-server';
import { Readiness } from './readiness';

describe('startProbeServer', () => {
  it('serves /healthz, /readyz (503 when a dependency is down) and /metrics', async () => {
    const metrics = new Metrics('probe-test');
    metrics.counter('jobs_total', 'jobs', ['outcome']).inc({ outcome: 'ok' });
    const readiness = new Readiness();
    let redisUp = true;
    readiness.register({ name: 'redis', check: () => (redisUp ? Promise.resolve() : Promise.reject(new Error('down'))) });
    const server = await startProbeServer(0, metrics, readiness, '127.0.0.1');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      redisUp = false;
      const down = await fetch(`${base}/readyz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ ready: false, checks: { redis: { ok: false, error: 'down' } } });
      expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/jobs_total\{outcome="ok",service="probe-test"\} 1/);
      expect((await fetch(`${base}/other`)).status).toBe(404);
      expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
