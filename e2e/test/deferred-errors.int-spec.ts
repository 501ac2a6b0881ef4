import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { greeterManifest, zipPackage } from './support/extension-package';
import { ReactorClient, type JsonApiResource } from './support/reactor-client';
import { startReactorStack, type ReactorStack } from './support/stack';
import { runUploader } from './support/uploader';

/**
 * Deferred errors through the real worker, seen over HTTP and by a real client (spec §8):
 * 29-30 Adobe's `@adobe/reactor-uploader`, installed and unchanged, uploads a package (then finds
 * and re-uploads it) and prints a failed package's deferred error; 20 a build whose library lacks an
 * extension its data element needs fails with `extension-not-found`; 21 a custom-code action that
 * does not parse fails the build with `minification-error` naming the rule component.
 */
const ID = (prefix: string) => new RegExp(`^${prefix}[0-9a-f]{32}$`);

let stack: ReactorStack;
let api: ReactorClient;
let dir: string;
const s: Record<string, string> = {};

const one = (res: Awaited<ReturnType<ReactorClient['get']>>, status: number): JsonApiResource => ReactorClient.resource(res, status);
const rel = (type: string, id: string) => ({ data: { id, type } });

async function packagesNamed(name: string): Promise<JsonApiResource[]> {
  return ReactorClient.list(await api.get(`/extension_packages?filter[name]=EQ%20${encodeURIComponent(name)}`));
}

async function revise(type: string, id: string): Promise<string> {
  return one(await api.patch(`/${type}/${id}`, { data: { id, type, attributes: {}, meta: { action: 'revise' } } }), 200).id;
}

/** A fresh property with a managed host and a development environment. */
async function property(name: string): Promise<{ property: string; environment: string; core: string }> {
  const pr = one(
    await api.post(`/companies/${s.company}/properties`, { data: { type: 'properties', attributes: { name, platform: 'web', domains: ['example.com'] } } }),
    201,
  ).id;
  const host = one(await api.post(`/properties/${pr}/hosts`, { data: { type: 'hosts', attributes: { name: 'Managed', type_of: 'akamai' } } }), 201).id;
  const environment = one(
    await api.post(`/properties/${pr}/environments`, {
      data: { type: 'environments', attributes: { name: 'Development', stage: 'development' }, relationships: { host: rel('hosts', host) } },
    }),
    201,
  ).id;
  const core = ReactorClient.list(await api.get(`/properties/${pr}/extensions?filter[name]=EQ%20core`))[0]?.id as string;
  return { property: pr, environment, core };
}

/** Creates a library of `resources` on `environment`, builds it and waits for the outcome. */
async function buildOf(environment: string, pr: string, resources: Array<{ id: string; type: string }>): Promise<JsonApiResource> {
  const library = one(await api.post(`/properties/${pr}/libraries`, { data: { type: 'libraries', attributes: { name: `Library ${Date.now()}` } } }), 201).id;
  for (const type of ['extensions', 'data_elements', 'rules']) {
    const data = resources.filter((r) => r.type === type);
    if (data.length > 0) {
      expect((await api.post(`/libraries/${library}/relationships/${type}`, { data })).status).toBe(200);
    }
  }
  expect((await api.patch(`/libraries/${library}/relationships/environment`, { data: { id: environment, type: 'environments' } })).status).toBe(200);
  const created = one(await api.post(`/libraries/${library}/builds`), 201);
  const deadline = Date.now() + 240_000;
  for (;;) {
    const build = one(await api.get(`/builds/${created.id}`), 200);
    if (build.attributes['status'] !== 'pending' || Date.now() > deadline) {
      return build;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

function firstDeferredError(resource: JsonApiResource): { code?: string; title?: string; detail?: string; meta?: Record<string, unknown> } {
  const details = resource.meta?.['status_details'] as { errors?: Array<Record<string, unknown>> } | undefined;
  return (details?.errors?.[0] ?? {}) as { code?: string; title?: string; detail?: string; meta?: Record<string, unknown> };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'openexp-e2e-packages-'));
  stack = await startReactorStack();
  api = stack.client;
  s.company = ReactorClient.list(await api.get('/companies'))[0]?.id as string;
});

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('@adobe/reactor-uploader, unchanged, against the built stack', () => {
  it('uploads a new package, which the worker processes to succeeded (scenario 29)', async () => {
    const zip = join(dir, 'greeter.zip');
    writeFileSync(zip, await zipPackage(greeterManifest('e2e-greeter')));
    const run = await runUploader(stack.baseUrl, stack.token, zip);
    // On failure the uploader's own output says why.
    expect({ code: run.code, output: run.code === 0 ? '' : run.output }).toEqual({ code: 0, output: '' });
    const found = await packagesNamed('e2e-greeter');
    expect(found).toHaveLength(1);
    expect(found[0]?.id).toMatch(ID('EP'));
    expect(found[0]?.attributes).toEqual(expect.objectContaining({ status: 'succeeded', availability: 'development', version: '1.0.0', platform: 'web' }));
    s.package = found[0]?.id as string;
  });

  it('finds the development package on a second run and updates it in place', async () => {
    const zip = join(dir, 'greeter-2.zip');
    writeFileSync(zip, await zipPackage(greeterManifest('e2e-greeter', { description: 'Greets again.' })));
    const run = await runUploader(stack.baseUrl, stack.token, zip);
    expect({ code: run.code, output: run.code === 0 ? '' : run.output }).toEqual({ code: 0, output: '' });
    const found = await packagesNamed('e2e-greeter');
    expect(found.map((p) => p.id)).toEqual([s.package]);
    expect(found[0]?.attributes).toEqual(expect.objectContaining({ status: 'succeeded', description: 'Greets again.' }));
  });

  it('prints the deferred error of a package that names a missing file, and exits non-zero (scenario 30)', async () => {
    const manifest = greeterManifest('e2e-broken');
    const actions = manifest['actions'] as Array<Record<string, unknown>>;
    const zip = join(dir, 'broken.zip');
    writeFileSync(zip, await zipPackage({ ...manifest, actions: [{ ...actions[0], libPath: 'src/lib/x.js' }] }));
    const run = await runUploader(stack.baseUrl, stack.token, zip);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('Extension package processing failed.');
    expect(run.output).toContain('src/lib/x.js is not a file.');
    const [broken] = await packagesNamed('e2e-broken');
    expect(broken?.attributes['status']).toBe('failed');
    const error = firstDeferredError(broken as JsonApiResource);
    expect(error).toEqual(expect.objectContaining({ code: 'library-file-not-found', detail: 'src/lib/x.js is not a file.' }));
    expect(run.output).toContain(String(error.title));
  });
});

describe('builds that fail with deferred errors', () => {
  it('fails a build whose data element needs an extension the library lacks (scenario 20)', async () => {
    const { property: pr, environment, core } = await property('Missing extension');
    const greeter = one(
      await api.post(`/properties/${pr}/extensions`, {
        data: { type: 'extensions', attributes: { settings: '{}', enabled: true }, relationships: { extension_package: rel('extension_packages', s.package as string) } },
      }),
      201,
    );
    const dataElement = one(
      await api.post(`/properties/${pr}/data_elements`, {
        data: {
          type: 'data_elements',
          attributes: { name: 'greeting', delegate_descriptor_id: 'e2e-greeter::dataElements::greeting', settings: JSON.stringify({ text: 'world' }) },
          relationships: { extension: rel('extensions', greeter.id) },
        },
      }),
      201,
    );
    const build = await buildOf(environment, pr, [
      { id: await revise('extensions', core), type: 'extensions' },
      { id: await revise('data_elements', dataElement.id), type: 'data_elements' },
    ]);
    expect(build.attributes['status']).toBe('failed');
    expect(firstDeferredError(build)).toEqual(expect.objectContaining({ code: 'extension-not-found' }));
  });

  it('fails a build whose custom code does not parse, naming the rule component (scenario 21)', async () => {
    const { property: pr, environment, core } = await property('Minification error');
    const rule = one(await api.post(`/properties/${pr}/rules`, { data: { type: 'rules', attributes: { name: 'Broken code' } } }), 201).id;
    const components: string[] = [];
    for (const [order, delegate, settings] of [
      [0, 'core::events::page-bottom', {}],
      [1, 'core::actions::custom-code', { source: 'function(', language: 'javascript' }],
    ] as const) {
      components.push(
        one(
          await api.post(`/properties/${pr}/rule_components`, {
            data: {
              type: 'rule_components',
              attributes: { name: delegate, delegate_descriptor_id: delegate, settings: JSON.stringify(settings), order, rule_order: 50 },
              relationships: { extension: rel('extensions', core), rules: { data: [{ id: rule, type: 'rules' }] } },
            },
          }),
          201,
        ).id,
      );
    }
    const build = await buildOf(environment, pr, [
      { id: await revise('extensions', core), type: 'extensions' },
      { id: await revise('rules', rule), type: 'rules' },
    ]);
    expect(build.attributes['status']).toBe('failed');
    const error = firstDeferredError(build);
    expect(error.code).toBe('minification-error');
    // The context names the failing component (its head id or the id of its revision in the build).
    const revisions = ReactorClient.list(await api.get(`/rules/${rule}/revisions`)).map((r) => r.id);
    const ruleComponentIds = [components[1] as string];
    for (const revision of revisions) {
      const list = await api.get(`/rules/${revision}/rule_components`);
      if (list.status === 200) {
        ruleComponentIds.push(...ReactorClient.list(list).filter((c) => c.attributes['delegate_descriptor_id'] === 'core::actions::custom-code').map((c) => c.id));
      }
    }
    const context = JSON.stringify(error.meta ?? {});
    expect(ruleComponentIds.some((id) => context.includes(id))).toBe(true);
  });
});
