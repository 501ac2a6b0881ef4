import { AuthRepository } from '../src/auth/auth.repository';
import { uploadPackage } from './package-fixtures';
import { WorkerDouble } from './worker-double';
import { TestApi, coreExtension, createAkamaiHost, createDataElement, createEnvironment, createLibrary, createProperty, createRule, dataOf, expectError, revise, type TestResponse } from './harness';

const B_TOKEN = 'company-b-token-0123456789abcdef';
const RIGHTS = ['develop', 'approve', 'publish', 'manage_environments', 'manage_extensions'] as const;

type Doc = Record<string, unknown>;
const rel = (id: string, type: string) => ({ data: { id, type } });
const rels = (id: string, type: string) => ({ data: [{ id, type }] });

/*
 * Issue 14 item 3 (part B): every relationship of a request document resolves inside the caller's
 * company, or the request is refused with its pointer. Company A owns the resources named; company
 * B's token sends the requests. Before the fix, library creation dropped `relationships.environment`
 * (201, environment null), `POST /rules/{B's rule}/rule_components` stored B's rule in place of A's
 * (201), and PATCHes, implied relationships and relationship removals ignored A's ids (200/201).
 */
describe('relationships naming another company’s resources are refused, never replaced', () => {
  const api = new TestApi();
  const worker = new WorkerDouble(api);
  const b = { token: B_TOKEN };
  const a = {} as Record<'library' | 'package' | 'company' | 'property' | 'host' | 'env' | 'ext' | 'extRev' | 'de' | 'deRev' | 'rule' | 'ruleRev' | 'edgeEnv', string>;
  const own = {} as Record<'build' | 'company' | 'property' | 'host' | 'env' | 'ext' | 'extRev' | 'de' | 'deRev' | 'rule' | 'ruleRev' | 'rc' | 'library' | 'callback' | 'edge' | 'edgeEnv' | 'secret', string>;

  const asB = {
    post: (path: string, body?: unknown) => api.request('POST', path, body, b),
    patch: (path: string, body?: unknown) => api.request('PATCH', path, body, b),
    delete: (path: string, body?: unknown) => api.request('DELETE', path, body, b),
    get: (path: string) => api.get(path, b),
  };
  const created = async (path: string, body: unknown) => dataOf<{ id: string }>(await asB.post(path, body), 201).id;
  const ruleComponent = (rule: string, extension: string) => ({
    data: {
      type: 'rule_components',
      attributes: { name: 'click', delegate_descriptor_id: 'core::events::click', settings: JSON.stringify({ elementSelector: 'a' }) },
      relationships: { extension: rel(extension, 'extensions'), rules: rels(rule, 'rules') },
    },
  });

  beforeAll(async () => {
    await api.start();
    a.company = dataOf<Array<{ id: string }>>(await api.get('/companies'))[0]?.id ?? '';
    a.property = await createProperty(api, 'A');
    a.host = await createAkamaiHost(api, a.property);
    a.env = await createEnvironment(api, a.property, a.host, 'development');
    a.ext = await coreExtension(api, a.property);
    a.extRev = await revise(api, 'extensions', a.ext);
    a.de = await createDataElement(api, a.property, a.ext, 'a-de');
    a.deRev = await revise(api, 'data_elements', a.de);
    a.rule = await createRule(api, a.property, 'a-rule');
    a.library = await createLibrary(api, a.property, 'a-lib');
    a.ruleRev = await revise(api, 'rules', a.rule);
    const aEdge = dataOf<{ id: string }>(await api.post(`/companies/${a.company}/properties`, { data: { type: 'properties', attributes: { name: 'AE', platform: 'edge' } } }), 201).id;
    a.edgeEnv = await createEnvironment(api, aEdge, await createAkamaiHost(api, aEdge), 'development');
    // A development package is its owner's alone (§2.7).
    a.package = (await uploadPackage(api, worker, 'a-private-ext', '1.0.0')).id;

    const repository = api.app.get(AuthRepository);
    const companyB = await repository.ensureCompany('COMPANYB0000@AdobeOrg');
    await repository.saveToken(companyB.id, B_TOKEN, 'b', RIGHTS, null);
    own.company = companyB.id;
    own.property = await createProperty(api, 'B', B_TOKEN);
    own.host = await created(`/properties/${own.property}/hosts`, { data: { type: 'hosts', attributes: { name: 'h', type_of: 'akamai' } } });
    own.env = await created(`/properties/${own.property}/environments`, { data: { type: 'environments', attributes: { name: 'dev', stage: 'development' }, relationships: { host: rel(own.host, 'hosts') } } });
    own.ext = dataOf<Array<{ id: string }>>(await asB.get(`/properties/${own.property}/extensions?filter[name]=EQ core`))[0]?.id ?? '';
    own.extRev = dataOf<{ id: string }>(await asB.patch(`/extensions/${own.ext}`, { data: { id: own.ext, type: 'extensions', meta: { action: 'revise' } } })).id;
    own.de = await created(`/properties/${own.property}/data_elements`, {
      data: { type: 'data_elements', attributes: { name: 'b-de', delegate_descriptor_id: 'core::dataElements::javascript-variable', settings: '{"path":"x"}' }, relationships: { extension: rel(own.ext, 'extensions') } },
    });
    own.deRev = dataOf<{ id: string }>(await asB.patch(`/data_elements/${own.de}`, { data: { id: own.de, type: 'data_elements', meta: { action: 'revise' } } })).id;
    own.rule = await created(`/properties/${own.property}/rules`, { data: { type: 'rules', attributes: { name: 'b-rule' } } });
    own.ruleRev = dataOf<{ id: string }>(await asB.patch(`/rules/${own.rule}`, { data: { id: own.rule, type: 'rules', meta: { action: 'revise' } } })).id;
    own.rc = await created(`/properties/${own.property}/rule_components`, ruleComponent(own.rule, own.ext));
    own.library = await created(`/properties/${own.property}/libraries`, { data: { type: 'libraries', attributes: { name: 'b-lib' } } });
    const buildEnv = await created(`/properties/${own.property}/environments`, { data: { type: 'environments', attributes: { name: 'dev-b', stage: 'development' }, relationships: { host: rel(own.host, 'hosts') } } });
    const built = await created(`/properties/${own.property}/libraries`, { data: { type: 'libraries', attributes: { name: 'built' }, relationships: { environment: rel(buildEnv, 'environments') } } });
    own.build = await created(`/libraries/${built}/builds`, undefined);
    own.callback = await created(`/properties/${own.property}/callbacks`, { data: { attributes: { url: 'https://hooks.example/b', subscriptions: ['rule.created'] } } });
    own.edge = await created(`/companies/${own.company}/properties`, { data: { type: 'properties', attributes: { name: 'BE', platform: 'edge' } } });
    const edgeHost = await created(`/properties/${own.edge}/hosts`, { data: { type: 'hosts', attributes: { name: 'h', type_of: 'akamai' } } });
    own.edgeEnv = await created(`/properties/${own.edge}/environments`, { data: { type: 'environments', attributes: { name: 'dev', stage: 'development' }, relationships: { host: rel(edgeHost, 'hosts') } } });
    own.secret = await created(`/properties/${own.edge}/secrets`, {
      data: { type: 'secrets', attributes: { name: 's', type_of: 'token', credentials: { token: 't' } }, relationships: { environment: rel(own.edgeEnv, 'environments') } },
    });
  });
  afterAll(async () => {
    await worker.close();
    await api.stop();
  });

  /** What company B can see of its own property, to prove a refused request changed nothing. */
  async function stateOfB(): Promise<unknown> {
    const ids = async (path: string) => dataOf<Array<{ id: string }>>(await asB.get(path)).map((r) => r.id).sort();
    const env = dataOf<{ attributes: Doc; relationships: { host: { data: unknown } } }>(await asB.get(`/environments/${own.env}`));
    const library = dataOf<{ attributes: Doc; relationships: { environment: { data: unknown } } }>(await asB.get(`/libraries/${own.library}`));
    return {
      properties: await ids(`/companies/${own.company}/properties`),
      hosts: await ids(`/properties/${own.property}/hosts`),
      environments: await ids(`/properties/${own.property}/environments`),
      envHost: env.relationships.host.data,
      envName: env.attributes['name'],
      libraries: await ids(`/properties/${own.property}/libraries`),
      libraryName: library.attributes['name'],
      libraryEnvironment: library.relationships.environment.data,
      libraryContents: [await ids(`/libraries/${own.library}/rules`), await ids(`/libraries/${own.library}/data_elements`), await ids(`/libraries/${own.library}/extensions`)],
      ruleComponents: await ids(`/rules/${own.rule}/rule_components`),
      rules: await ids(`/properties/${own.property}/rules`),
      dataElements: await ids(`/properties/${own.property}/data_elements`),
      extensions: dataOf<Array<{ id: string; relationships: Doc }>>(await asB.get(`/properties/${own.property}/extensions`)).map((x) => [x.id, x.relationships['extension_package']]),
      callbacks: await ids(`/properties/${own.property}/callbacks`),
      notes: await ids(`/rules/${own.rule}/notes`),
      secretEnvironment: dataOf<{ relationships: { environment: { data: unknown } } }>(await asB.get(`/secrets/${own.secret}`)).relationships.environment.data,
    };
  }

  function expectRefused(res: TestResponse, request: unknown, pointer: string): void {
    const error = expectError(res, 404, 'not-found', request);
    expect(error['source']).toEqual({ pointer });
  }

  it('the two requests of the issue: a library created with A’s environment, a rule component under B’s rule naming A’s rule', async () => {
    const before = await stateOfB();
    const library = { data: { type: 'libraries', attributes: { name: 'with A env' }, relationships: { environment: rel(a.env, 'environments') } } };
    expectRefused(await asB.post(`/properties/${own.property}/libraries`, library), library, '/data/relationships/environment/data/id');
    const component = ruleComponent(a.rule, own.ext);
    expectRefused(await asB.post(`/rules/${own.rule}/rule_components`, component), component, '/data/relationships/rules/data/0/id');
    expect(await stateOfB()).toEqual(before);
  });

  it('every relationship-taking route answers 404 not-found at the pointer of A’s id, and changes nothing', async () => {
    const before = await stateOfB();
    const lib = (relationships: Doc) => ({ data: { type: 'libraries', attributes: { name: 'l' }, relationships } });
    const de = (extension: string) => ({
      data: { type: 'data_elements', attributes: { name: 'd2', delegate_descriptor_id: 'core::dataElements::javascript-variable', settings: '{"path":"x"}' }, relationships: { extension: rel(extension, 'extensions') } },
    });
    const cases: Array<[method: 'post' | 'patch' | 'delete', path: string, body: Doc, pointer: string]> = [
      ['post', `/properties/${own.property}/environments`, { data: { type: 'environments', attributes: { name: 'e', stage: 'development' }, relationships: { host: rel(a.host, 'hosts') } } }, '/data/relationships/host/data/id'],
      ['patch', `/environments/${own.env}`, { data: { id: own.env, type: 'environments', attributes: { name: 'x' }, relationships: { host: rel(a.host, 'hosts') } } }, '/data/relationships/host/data/id'],
      ['post', `/properties/${own.property}/libraries`, lib({ rules: rels(a.ruleRev, 'rules') }), '/data/relationships/rules/data/0/id'],
      ['post', `/properties/${own.property}/libraries`, lib({ data_elements: { data: [{ id: own.deRev, type: 'data_elements' }, { id: a.deRev, type: 'data_elements' }] } }), '/data/relationships/data_elements/data/1/id'],
      ['post', `/properties/${own.property}/libraries`, lib({ extensions: rels(a.extRev, 'extensions') }), '/data/relationships/extensions/data/0/id'],
      ['patch', `/libraries/${own.library}`, { data: { id: own.library, type: 'libraries', attributes: { name: 'x' }, relationships: { environment: rel(a.env, 'environments') } } }, '/data/relationships/environment/data/id'],
      ['post', `/libraries/${own.library}/relationships/environment`, { data: { id: a.env, type: 'environments' } }, '/data/id'],
      ['patch', `/libraries/${own.library}/relationships/environment`, { data: { id: a.env, type: 'environments' } }, '/data/id'],
      ['post', `/properties/${own.property}/extensions`, { data: { type: 'extensions', attributes: {}, relationships: { extension_package: rel(a.package, 'extension_packages') } } }, '/data/relationships/extension_package/data/id'],
      ['patch', `/extensions/${own.ext}`, { data: { id: own.ext, type: 'extensions', attributes: {}, relationships: { extension_package: rel(a.package, 'extension_packages') } } }, '/data/relationships/extension_package/data/id'],
      ['post', `/properties/${own.property}/data_elements`, de(a.ext), '/data/relationships/extension/data/id'],
      ['patch', `/data_elements/${own.de}`, { data: { id: own.de, type: 'data_elements', attributes: {}, relationships: { extension: rel(a.ext, 'extensions') } } }, '/data/relationships/extension/data/id'],
      ['post', `/properties/${own.property}/rule_components`, ruleComponent(a.rule, own.ext), '/data/relationships/rules/data/0/id'],
      ['post', `/properties/${own.property}/rule_components`, ruleComponent(own.rule, a.ext), '/data/relationships/extension/data/id'],
      ['post', `/rules/${own.rule}/rule_components`, ruleComponent(own.rule, a.ext), '/data/relationships/extension/data/id'],
      ['patch', `/rule_components/${own.rc}`, { data: { id: own.rc, type: 'rule_components', attributes: {}, relationships: { rules: rels(a.rule, 'rules') } } }, '/data/relationships/rules/data/0/id'],
      ['patch', `/rule_components/${own.rc}`, { data: { id: own.rc, type: 'rule_components', attributes: {}, relationships: { extension: rel(a.ext, 'extensions') } } }, '/data/relationships/extension/data/id'],
      ['patch', `/rules/${own.rule}`, { data: { id: own.rule, type: 'rules', attributes: { name: 'x' }, relationships: { origin: rel(a.rule, 'rules') } } }, '/data/relationships/origin/data/id'],
      ['post', `/properties/${own.property}/hosts`, { data: { type: 'hosts', attributes: { name: 'h2', type_of: 'akamai' }, relationships: { property: rel(a.property, 'properties') } } }, '/data/relationships/property/data/id'],
      ['patch', `/hosts/${own.host}`, { data: { id: own.host, type: 'hosts', attributes: { name: 'x' }, relationships: { property: rel(a.property, 'properties') } } }, '/data/relationships/property/data/id'],
      ['post', `/properties/${own.property}/rules`, { data: { type: 'rules', attributes: { name: 'r2' }, relationships: { property: rel(a.property, 'properties') } } }, '/data/relationships/property/data/id'],
      ['post', `/companies/${own.company}/properties`, { data: { type: 'properties', attributes: { name: 'p', platform: 'web', domains: ['b.example'] }, relationships: { company: rel(a.company, 'companies') } } }, '/data/relationships/company/data/id'],
      ['patch', `/properties/${own.property}`, { data: { id: own.property, type: 'properties', attributes: { name: 'x' }, relationships: { company: rel(a.company, 'companies') } } }, '/data/relationships/company/data/id'],
      ['post', `/properties/${own.property}/callbacks`, { data: { attributes: { url: 'https://hooks.example/2', subscriptions: ['rule.created'] }, relationships: { property: rel(a.property, 'properties') } } }, '/data/relationships/property/data/id'],
      ['patch', `/callbacks/${own.callback}`, { data: { id: own.callback, type: 'callbacks', attributes: { url: 'https://hooks.example/3' }, relationships: { property: rel(a.property, 'properties') } } }, '/data/relationships/property/data/id'],
      ['patch', `/builds/${own.build}`, { data: { id: own.build, type: 'builds', meta: { action: 'republish' }, relationships: { library: rel(a.library, 'libraries') } } }, '/data/relationships/library/data/id'],
      ['post', `/rules/${own.rule}/notes`, { data: { type: 'notes', attributes: { text: 'n' }, relationships: { resource: rel(a.rule, 'rules') } } }, '/data/relationships/resource/data/id'],
      ['post', `/properties/${own.edge}/secrets`, { data: { type: 'secrets', attributes: { name: 's2', type_of: 'token', credentials: { token: 't' } }, relationships: { environment: rel(a.edgeEnv, 'environments') } } }, '/data/relationships/environment/data/id'],
      ['patch', `/secrets/${own.secret}`, { data: { id: own.secret, type: 'secrets', attributes: {}, relationships: { environment: rel(a.edgeEnv, 'environments') } } }, '/data/relationships/environment/data/id'],
    ];
    for (const [type, revision] of [['rules', a.ruleRev], ['data_elements', a.deRev], ['extensions', a.extRev]] as const) {
      for (const method of ['post', 'patch', 'delete'] as const) {
        cases.push([method, `/libraries/${own.library}/relationships/${type}`, { data: [{ id: revision, type }] }, '/data/0/id']);
      }
    }
    for (const [method, path, body, pointer] of cases) {
      expectRefused(await asB[method](path, body), body, pointer);
    }
    expect(await stateOfB()).toEqual(before);
  });

  it('B’s own references still work: a library created with its environment and contents, the URL’s rule repeated, links echoed back', async () => {
    const complete = dataOf<{ id: string; relationships: { environment: { data: unknown } } }>(
      await asB.post(`/properties/${own.property}/libraries`, {
        data: {
          type: 'libraries',
          attributes: { name: 'complete' },
          relationships: { environment: rel(own.env, 'environments'), rules: rels(own.ruleRev, 'rules'), data_elements: rels(own.deRev, 'data_elements'), extensions: rels(own.extRev, 'extensions') },
        },
      }),
      201,
    );
    expect(complete.relationships.environment.data).toEqual({ id: own.env, type: 'environments' });
    for (const [type, id] of [['rules', own.ruleRev], ['data_elements', own.deRev], ['extensions', own.extRev]]) {
      expect(dataOf<Array<{ id: string }>>(await asB.get(`/libraries/${complete.id}/relationships/${type}`)).map((r) => r.id)).toEqual([id]);
    }
    expect((await asB.delete(`/libraries/${complete.id}`)).status).toBe(204);
    const component = await created(`/rules/${own.rule}/rule_components`, ruleComponent(own.rule, own.ext));
    expect(dataOf<Array<{ id: string }>>(await asB.get(`/rules/${own.rule}/rule_components`)).map((r) => r.id)).toContain(component);
    const env = dataOf<Doc>(await asB.get(`/environments/${own.env}`));
    expect(dataOf(await asB.patch(`/environments/${own.env}`, { data: { ...env, attributes: { name: 'dev2' } } })).id).toBe(own.env);
    const library = dataOf<Doc>(await asB.get(`/libraries/${own.library}`));
    expect(dataOf(await asB.patch(`/libraries/${own.library}`, { data: { id: own.library, type: 'libraries', attributes: { name: 'b-lib' }, relationships: library['relationships'] } })).id).toBe(own.library);
    const rule = dataOf<Doc>(await asB.get(`/rules/${own.rule}`));
    expect(dataOf(await asB.patch(`/rules/${own.rule}`, { data: { id: own.rule, type: 'rules', attributes: { name: 'b-rule' }, relationships: rule['relationships'] } })).id).toBe(own.rule);
  });

  it('within the company: another property’s resources are 422, relationships a request cannot set are 422, nothing dropped', async () => {
    const other = await createProperty(api, 'B2', B_TOKEN);
    const otherHost = await created(`/properties/${other}/hosts`, { data: { type: 'hosts', attributes: { name: 'h', type_of: 'akamai' } } });
    const otherRule = await created(`/properties/${other}/rules`, { data: { type: 'rules', attributes: { name: 'r' } } });
    const otherRuleRev = dataOf<{ id: string }>(await asB.patch(`/rules/${otherRule}`, { data: { id: otherRule, type: 'rules', meta: { action: 'revise' } } })).id;
    const before = await stateOfB();
    const cases: Array<[method: 'post' | 'patch', path: string, body: Doc, code: string, pointer: string]> = [
      ['post', `/properties/${own.property}/libraries`, { data: { type: 'libraries', attributes: { name: 'l' }, relationships: { rules: rels(otherRuleRev, 'rules') } } }, 'invalid-rule', '/data/relationships/rules/data/0/id'],
      ['post', `/properties/${own.property}/libraries`, { data: { type: 'libraries', attributes: { name: 'l' }, relationships: { rules: rels(own.rule, 'rules') } } }, 'invalid-rule', '/data/relationships/rules/data/0/id'],
      ['post', `/libraries/${own.library}/relationships/rules`, { data: [{ id: otherRuleRev, type: 'rules' }] }, 'invalid-rule', '/data/0/id'],
      ['post', `/rules/${own.rule}/rule_components`, ruleComponent(otherRule, own.ext), 'validation-error', '/data/relationships/rules/data/0/id'],
      ['patch', `/environments/${own.env}`, { data: { id: own.env, type: 'environments', attributes: {}, relationships: { host: rel(otherHost, 'hosts') } } }, 'validation-error', '/data/relationships/host/data/id'],
      ['post', `/properties/${own.property}/hosts`, { data: { type: 'hosts', attributes: { name: 'h', type_of: 'akamai' }, relationships: { property: rel(other, 'properties') } } }, 'validation-error', '/data/relationships/property/data/id'],
      ['post', `/properties/${own.property}/rules`, { data: { type: 'rules', attributes: { name: 'r' }, relationships: { rule_components: rels(own.rc, 'rule_components') } } }, 'validation-error', '/data/relationships/rule_components'],
      ['patch', `/libraries/${own.library}`, { data: { id: own.library, type: 'libraries', attributes: { name: 'x' }, relationships: { rules: rels(own.ruleRev, 'rules') } } }, 'validation-error', '/data/relationships/rules'],
    ];
    for (const [method, path, body, code, pointer] of cases) {
      const error = expectError(await asB[method](path, body), 422, code, body);
      expect(error['source']).toEqual({ pointer });
    }
    expect(await stateOfB()).toEqual(before);
  });
});
