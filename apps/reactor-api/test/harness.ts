import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { assertValidErrorDocument } from '@openexp/errors';
import { createRootLogger, createServiceRuntime } from '@openexp/service-runtime';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createReactorApi } from '../src/bootstrap';
import { reactorApiConfigSchema, toReactorApiConfig, type ReactorApiConfig } from '../src/config/reactor-api.config';
import { parseConfig } from '@openexp/service-runtime';

export const FIXTURE_CORE = join(__dirname, 'fixtures', 'core');

/** One route handler of the running app, as Nest's metadata declares it. */
export interface ControllerRoute {
  method: RequestMethod;
  /** The full path, `/`-joined from the controller's and the handler's (`/properties/:id`). */
  path: string;
  handler: (...args: never[]) => unknown;
  controller: Type<unknown>;
}

/** Every controller route of the running app, read from Nest's metadata (never a list that can go stale). */
export function controllerRoutes(api: TestApi): ControllerRoute[] {
  const discovery = api.app.get(DiscoveryService);
  const scanner = api.app.get(MetadataScanner);
  const routes: ControllerRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    if (instance === undefined) {
      continue;
    }
    const controller = wrapper.metatype as Type<unknown>;
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
      const handler = (instance as Record<string, unknown>)[name] as (...args: never[]) => unknown;
      const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (paths === undefined || method === undefined) {
        continue;
      }
      for (const path of Array.isArray(paths) ? paths : [paths]) {
        routes.push({ method, path: `/${[base, path].filter((p) => p !== '' && p !== '/').join('/')}`.replace(/\/+/g, '/'), handler, controller });
      }
    }
  }
  return routes;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/** The real app, booted in-process on a random port, on its own schema, queue prefix and folders. */
export class TestApi {
  readonly token = `test-${randomBytes(16).toString('hex')}`;
  readonly org = `${randomBytes(6).toString('hex').toUpperCase()}@AdobeOrg`;
  readonly queuePrefix = `test-${randomUUID()}`;
  readonly schema = `t_${randomUUID().replace(/-/g, '')}`;
  readonly dir = mkdtempSync(join(tmpdir(), 'reactor-api-test-'));
  app!: NestFastifyApplication;
  config!: ReactorApiConfig;
  baseUrl = '';

  async start(overrides: Record<string, string> = {}): Promise<this> {
    const redisUrl = process.env['TEST_REDIS_URL'];
    if (redisUrl === undefined) {
      throw new Error('TEST_REDIS_URL is not set (jest globalSetup provides it)');
    }
    const databaseUrl = process.env['TEST_DATABASE_URL'];
    const env: Record<string, string> = {
      REACTOR_API_PORT: '0',
      REACTOR_API_HOST: '127.0.0.1',
      REDIS_URL: redisUrl,
      PUBLIC_BASE_URL: 'http://reactor.test',
      REACTOR_BOOTSTRAP_TOKEN: this.token,
      REACTOR_BOOTSTRAP_ORG: this.org,
      DATA_DIR: databaseUrl === undefined ? ':memory:' : this.dir,
      BLOB_ROOT: join(this.dir, 'blobs'),
      SERVER_KEYS_DIR: join(this.dir, 'keys'),
      QUEUE_PREFIX: this.queuePrefix,
      CORE_EXTENSION_DIR: FIXTURE_CORE,
      LOG_LEVEL: 'silent',
      ...(databaseUrl !== undefined ? { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: this.schema } : {}),
      ...overrides,
    };
    this.config = toReactorApiConfig(parseConfig('reactor-api', reactorApiConfigSchema, env));
    const runtime = createServiceRuntime('reactor-api', createRootLogger('reactor-api', 'silent'));
    this.app = await createReactorApi(this.config, runtime);
    await this.app.listen({ port: 0, host: '127.0.0.1' });
    const address = this.app.getHttpServer().address();
    if (address === null || typeof address === 'string') {
      throw new Error('no port');
    }
    this.baseUrl = `http://127.0.0.1:${address.port}`;
    return this;
  }

  async stop(): Promise<void> {
    try {
      await this.app?.close();
    } finally {
      const databaseUrl = process.env['TEST_DATABASE_URL'];
      if (databaseUrl !== undefined) {
        const client = new Client({ connectionString: databaseUrl });
        await client.connect();
        await client.query(`drop schema if exists "${this.schema}" cascade`);
        await client.end();
      }
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  headers(token: string | null = this.token, extra: Record<string, string> = {}): Record<string, string> {
    return {
      accept: 'application/vnd.api+json;revision=1',
      'x-api-key': 'Activation-DTM',
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...extra,
    };
  }

  async request(method: string, path: string, body?: unknown, options: { token?: string | null; headers?: Record<string, string>; raw?: string | FormData } = {}): Promise<TestResponse> {
    const headers = this.headers(options.token === undefined ? this.token : options.token, options.headers);
    let payload: string | FormData | undefined;
    if (options.raw !== undefined) {
      payload = options.raw;
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/vnd.api+json';
    }
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  get = (path: string, options?: { token?: string | null }) => this.request('GET', path, undefined, options);
  post = (path: string, body?: unknown, options?: { token?: string | null }) => this.request('POST', path, body, options);
  patch = (path: string, body?: unknown, options?: { token?: string | null }) => this.request('PATCH', path, body, options);
  delete = (path: string, body?: unknown, options?: { token?: string | null }) => this.request('DELETE', path, body, options);
}

/** Asserts a JSON:API error response: status, code, content type, x-request-id and document rules. */
export function expectError(res: TestResponse, status: number, code: string, request?: unknown): Record<string, unknown> {
  if (res.status !== status) {
    throw new Error(`expected ${status} ${code}, got ${res.status}: ${res.text}`);
  }
  expect(res.headers.get('content-type')).toMatch(/^application\/vnd\.api\+json/);
  expect(res.headers.get('x-request-id')).toBeTruthy();
  if (request === undefined) {
    assertValidErrorDocument(res.body);
  } else {
    assertValidErrorDocument(res.body, request);
  }
  const doc = res.body as { errors: Array<Record<string, unknown>> };
  expect(doc.errors[0]?.['code']).toBe(code);
  expect((doc.errors[0]?.['meta'] as { request_id?: string }).request_id).toBe(res.headers.get('x-request-id'));
  return doc.errors[0] as Record<string, unknown>;
}

/** `data` of a successful response, failing with the body otherwise. */
export function dataOf<T = Record<string, unknown>>(res: TestResponse, status = 200): T {
  if (res.status !== status) {
    throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  }
  expect(res.headers.get('content-type')).toMatch(/^application\/vnd\.api\+json/);
  return (res.body as { data: T }).data;
}

/** Web property with `core` installed, via HTTP. */
export async function createProperty(api: TestApi, name = 'P', token?: string): Promise<string> {
  const companies = dataOf<Array<{ id: string }>>(await api.get('/companies', token === undefined ? {} : { token }));
  const res = await api.post(`/companies/${companies[0]?.id}/properties`, { data: { type: 'properties', attributes: { name, platform: 'web', domains: ['example.com'] } } }, token === undefined ? {} : { token });
  return dataOf<{ id: string }>(res, 201).id;
}

export async function createAkamaiHost(api: TestApi, propertyId: string, name = 'Managed'): Promise<string> {
  const res = await api.post(`/properties/${propertyId}/hosts`, { data: { type: 'hosts', attributes: { name, type_of: 'akamai' } } });
  return dataOf<{ id: string }>(res, 201).id;
}

export async function createEnvironment(api: TestApi, propertyId: string, hostId: string, stage: string, name = stage): Promise<string> {
  const res = await api.post(`/properties/${propertyId}/environments`, {
    data: { type: 'environments', attributes: { name, stage }, relationships: { host: { data: { id: hostId, type: 'hosts' } } } },
  });
  return dataOf<{ id: string }>(res, 201).id;
}

export async function coreExtension(api: TestApi, propertyId: string): Promise<string> {
  const data = dataOf<Array<{ id: string }>>(await api.get(`/properties/${propertyId}/extensions?filter[name]=EQ core`));
  if (data[0] === undefined) {
    throw new Error('core not installed');
  }
  return data[0].id;
}

export async function revise(api: TestApi, type: string, id: string): Promise<string> {
  const res = await api.patch(`/${type}/${id}`, { data: { id, type, meta: { action: 'revise' } } });
  return dataOf<{ id: string }>(res).id;
}

export async function createDataElement(api: TestApi, propertyId: string, extensionId: string, name: string): Promise<string> {
  const res = await api.post(`/properties/${propertyId}/data_elements`, {
    data: {
      type: 'data_elements',
      attributes: { name, delegate_descriptor_id: 'core::dataElements::javascript-variable', settings: JSON.stringify({ path: 'document.title' }) },
      relationships: { extension: { data: { id: extensionId, type: 'extensions' } } },
    },
  });
  return dataOf<{ id: string }>(res, 201).id;
}

export async function createRule(api: TestApi, propertyId: string, name: string): Promise<string> {
  return dataOf<{ id: string }>(await api.post(`/properties/${propertyId}/rules`, { data: { type: 'rules', attributes: { name } } }), 201).id;
}

export async function createLibrary(api: TestApi, propertyId: string, name = 'L'): Promise<string> {
  return dataOf<{ id: string }>(await api.post(`/properties/${propertyId}/libraries`, { data: { type: 'libraries', attributes: { name } } }), 201).id;
}
