import { ID, JSON_API, LibraryFlow, one, rel } from './support/library-flow';
import { ReactorClient } from './support/reactor-client';
import { startReactorStack, type ReactorStack } from './support/stack';

/**
 * The scripted flow of issue 5 (spec §8 scenarios 19, 26, 27), over HTTP only, against the built
 * reactor-api and build-worker: property → managed host → development environment → data element
 * and rule revisions → library → build → succeeded → the library file is served at
 * `meta.artifact_url` → submit → staging environment → build → approve → production environment →
 * build → library `published`.
 */
let stack: ReactorStack;
let api: ReactorClient;
let flow: LibraryFlow;

/** Shared state of the flow: each step builds on the previous one. */
const s: Record<string, string> = {};

beforeAll(async () => {
  stack = await startReactorStack();
  api = stack.client;
  flow = new LibraryFlow(stack);
});

afterAll(async () => {
  await stack?.stop();
});

const revise = (type: string, id: string) => flow.revise(type, id);
const environment = (name: string, stage: string) => flow.environment(s.property as string, s.host as string, { name, stage });
const assignAndBuild = (environmentId: string) => flow.assignAndBuild(s.library as string, environmentId);
const transition = (action: string, state: string) => flow.transition(s.library as string, action, state);

describe('publishing a tag library over HTTP, built apps end to end', () => {
  it('the bootstrap token sees its company', async () => {
    const res = await api.get('/companies');
    expect(res.contentType).toMatch(JSON_API);
    const companies = ReactorClient.list(res);
    expect(companies).toHaveLength(1);
    expect(companies[0]?.id).toMatch(ID('CO'));
    expect(companies[0]?.attributes['org_id']).toBe(stack.org);
    s.company = companies[0]?.id as string;
  });

  it('creates a web property that has the core extension installed', async () => {
    const property = one(
      await api.post(`/companies/${s.company}/properties`, {
        data: { type: 'properties', attributes: { name: 'E2E property', platform: 'web', domains: ['example.com'] } },
      }),
      201,
    );
    expect(property.id).toMatch(ID('PR'));
    expect(property.attributes['token']).toMatch(/^[0-9a-f]{12}$/);
    s.property = property.id;
    const core = ReactorClient.list(await api.get(`/properties/${s.property}/extensions?filter[name]=EQ%20core`));
    expect(core).toHaveLength(1);
    s.coreHead = core[0]?.id as string;
    s.coreRevision = (await revise('extensions', s.coreHead)).id;
  });

  it('creates a managed (akamai) host that is ready at once', async () => {
    const host = one(
      await api.post(`/properties/${s.property}/hosts`, { data: { type: 'hosts', attributes: { name: 'Managed', type_of: 'akamai' } } }),
      201,
    );
    expect(host.id).toMatch(ID('HT'));
    expect(host.attributes).toEqual(expect.objectContaining({ status: 'succeeded', server: null, path: null, port: null, username: null }));
    s.host = host.id;
  });

  it('creates a development environment on it', async () => {
    const env = await environment('Development', 'development');
    expect(env.attributes['library_name']).toBe(`launch-${String(env.attributes['token'])}-development.min.js`);
    s.development = env.id;
  });

  it('creates a data element and a rule with components, and revises them', async () => {
    const dataElement = one(
      await api.post(`/properties/${s.property}/data_elements`, {
        data: {
          type: 'data_elements',
          attributes: { name: 'page title', delegate_descriptor_id: 'core::dataElements::javascript-variable', settings: JSON.stringify({ path: 'document.title' }) },
          relationships: { extension: rel('extensions', s.coreHead as string) },
        },
      }),
      201,
    );
    expect(dataElement.id).toMatch(ID('DE'));
    expect(dataElement.attributes['revision_number']).toBe(0);
    s.dataElementRevision = (await revise('data_elements', dataElement.id)).id;

    const rule = one(await api.post(`/properties/${s.property}/rules`, { data: { type: 'rules', attributes: { name: 'Page bottom' } } }), 201);
    expect(rule.id).toMatch(ID('RL'));
    for (const [order, delegate, settings] of [
      [0, 'core::events::page-bottom', {}],
      [1, 'core::actions::custom-code', { source: 'window.__openexpE2E = _satellite.getVar("page title");', language: 'javascript' }],
    ] as const) {
      const component = one(
        await api.post(`/properties/${s.property}/rule_components`, {
          data: {
            type: 'rule_components',
            attributes: { name: delegate, delegate_descriptor_id: delegate, settings: JSON.stringify(settings), order, rule_order: 50 },
            relationships: { extension: rel('extensions', s.coreHead as string), rules: { data: [{ id: rule.id, type: 'rules' }] } },
          },
        }),
        201,
      );
      expect(component.id).toMatch(ID('RC'));
    }
    s.ruleRevision = (await revise('rules', rule.id)).id;
  });

  it('creates a library holding those revisions', async () => {
    const library = one(await api.post(`/properties/${s.property}/libraries`, { data: { type: 'libraries', attributes: { name: 'Release 1' } } }), 201);
    expect(library.id).toMatch(ID('LB'));
    expect(library.attributes['state']).toBe('development');
    s.library = library.id;
    for (const [relationship, type, id] of [
      ['extensions', 'extensions', s.coreRevision],
      ['data_elements', 'data_elements', s.dataElementRevision],
      ['rules', 'rules', s.ruleRevision],
    ] as const) {
      const res = await api.post(`/libraries/${s.library}/relationships/${relationship}`, { data: [{ id, type }] });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual(expect.arrayContaining([{ id, type }]));
    }
  });

  it('builds it on the development environment, and serves the library file at meta.artifact_url', async () => {
    const build = await assignAndBuild(s.development as string);
    const artifactUrl = build.meta?.['artifact_url'];
    const directUrl = build.meta?.['direct_artifact_url'];
    expect(typeof artifactUrl).toBe('string');
    expect(String(artifactUrl)).toMatch(/\/launch-[0-9a-f]{12}-development\.min\.js$/);
    expect(String(directUrl)).toContain(`/${String(build.attributes['token'])}/`);
    const served = await fetch(String(artifactUrl));
    const js = await served.text();
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/javascript/);
    // The built library (spec §4.4): the license line first, pointing at the unminified file,
    // then the container with our data element and rule and the Turbine engine.
    expect(js.split('\n')[0]).toMatch(/^\/\/ For license information, see `.*launch-[0-9a-f]{12}-development\.js`\.$/);
    expect(js).toContain('_satellite');
    expect(js).toContain('page title');
    expect(js).toContain('__openexpE2E');
  });

  it('submits the library, which leaves the development environment', async () => {
    const library = await transition('submit', 'submitted');
    expect(library.relationships?.['environment']?.data ?? null).toBeNull();
  });

  it('builds it on a staging environment, then approves it', async () => {
    const staging = await environment('Staging', 'staging');
    await assignAndBuild(staging.id);
    await transition('approve', 'approved');
  });

  it('publishes it by building on the production environment', async () => {
    const production = await environment('Production', 'production');
    const build = await assignAndBuild(production.id);
    expect(String(build.meta?.['artifact_url'])).toMatch(/\/launch-[0-9a-f]{12}\.min\.js$/);
    const library = one(await api.get(`/libraries/${s.library}`), 200);
    expect(library.attributes['state']).toBe('published');
    expect(typeof library.attributes['published_at']).toBe('string');
    const served = await fetch(String(build.meta?.['artifact_url']));
    expect(served.status).toBe(200);
    expect(await served.text()).toContain('__openexpE2E');
  });

  it('refuses changes to a published library with a JSON:API read-only error', async () => {
    const res = await api.post(`/libraries/${s.library}/relationships/rules`, { data: [{ id: s.ruleRevision, type: 'rules' }] });
    expect(res.status).toBe(403);
    expect(res.contentType).toMatch(JSON_API);
    expect(res.body.errors?.[0]).toEqual(expect.objectContaining({ status: '403', code: 'read-only' }));
  });
});
