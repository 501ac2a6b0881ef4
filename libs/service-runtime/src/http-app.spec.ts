import { Controller, Get, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { Writable } from 'node:stream';
import { createHttpApp } from './http-app';
import { createServiceRuntime, type ServiceRuntime } from './service-runtime.module';
import { requestContext } from './request-context';

@Controller('echo')
class EchoController {
  @Get()
  echo(): { requestId: string | undefined } {
    return { requestId: requestContext.current()?.requestId };
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

describe('createHttpApp', () => {
  let app: NestFastifyApplication;
  let runtime: ServiceRuntime;
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    runtime = createServiceRuntime('test-svc', pino({ level: 'info' }, sink));
    runtime.readiness.register({ name: 'dep', check: () => Promise.resolve() });
    app = await createHttpApp({ runtime, appModule: { module: EchoModule } });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());

  it('takes the caller request id, exposes it to handlers, echoes it and logs it', async () => {
    const res = await app.inject({ method: 'GET', url: '/echo', headers: { 'x-request-id': 'req-42' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBe('req-42');
    expect(res.json()).toEqual({ requestId: 'req-42' });
    const access = lines.find((l) => l['msg'] === 'request' && l['request_id'] === 'req-42');
    expect(access).toMatchObject({ method: 'GET', route: '/echo', status: 200, component: 'http' });
  });

  it('generates a request id when none is sent', async () => {
    const res = await app.inject({ method: 'GET', url: '/echo' });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json()).toEqual({ requestId: res.headers['x-request-id'] });
  });

  it('answers /healthz and /readyz', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ ready: true, checks: { dep: { ok: true } } });
  });

  it('counts requests per route pattern in Prometheus text format', async () => {
    await app.inject({ method: 'GET', url: '/echo' });
    await app.inject({ method: 'GET', url: '/nowhere' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/http_requests_total\{method="GET",route="\/echo",status_code="200",service="test-svc"\} \d+/);
    expect(res.body).toMatch(/http_requests_total\{method="GET",route="unmatched",status_code="404",service="test-svc"\} 1/);
    expect(res.body).toMatch(/http_request_duration_seconds_bucket\{[^}]*le="0.005"[^}]*route="\/echo"/);
    expect(res.body).toMatch(/process_resident_memory_bytes\{service="test-svc"\}/);
  });
});
