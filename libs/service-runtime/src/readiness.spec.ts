import { Readiness, withTimeout } from './readiness';

describe('Readiness', () => {
  it('is ready when every check resolves, and names the ones that fail', async () => {
    const readiness = new Readiness();
    readiness.register({ name: 'redis', check: () => Promise.resolve() });
    expect(await readiness.report()).toMatchObject({ ready: true, checks: { redis: { ok: true } } });
    readiness.register({ name: 'db', check: () => Promise.reject(new Error('connection refused')) });
    expect(await readiness.report()).toMatchObject({
      ready: false,
      checks: { redis: { ok: true }, db: { ok: false, error: 'connection refused' } },
    });
  });

  it('counts a check that never answers as failed after the timeout', async () => {
    const readiness = new Readiness();
    readiness.register({ name: 'slow', check: () => new Promise<void>(() => undefined) });
    const report = await readiness.report(20);
    expect(report.ready).toBe(false);
    expect(report.checks['slow']?.error).toMatch(/did not answer within 20 ms/);
  });

  it('turns not-ready once shutdown starts, so load balancers drain the instance', async () => {
    const readiness = new Readiness();
    readiness.markShuttingDown();
    expect(await readiness.report()).toMatchObject({ ready: false, checks: { shutdown: { ok: false } } });
  });

  it('withTimeout passes values through', async () => {
    await expect(withTimeout(Promise.resolve(3), 1000, 'late')).resolves.toBe(3);
  });
});
