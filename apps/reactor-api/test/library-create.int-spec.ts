import { TestApi, coreExtension, createAkamaiHost, createDataElement, createEnvironment, createLibrary, createProperty, createRule, dataOf, expectError, revise } from './harness';

type Linkage = Array<{ id: string; type: string }>;
interface Revisioned {
  id: string;
  attributes: { revision_number: number };
  relationships: { origin: { data: { id: string } } };
}

const item = (id: string, type: string, action?: string) => ({ id, type, ...(action === undefined ? {} : { meta: { action } }) });
const library = (name: string, relationships: Record<string, unknown>) => ({ data: { type: 'libraries', attributes: { name }, relationships } });

/*
 * Issue 19 item 2: POST /properties/{id}/libraries as Adobe's API takes it — environment and
 * data_elements / extensions / rules linkage, items with `meta.action: "revise"` revised and their
 * revision attached — all in one transaction; every relationship applied or refused with a pointer.
 */
describe('libraries created and filled as Adobe’s API takes them (§2.5)', () => {
  const api = new TestApi();
  let property: string;
  let host: string;
  let extension: string;
  let dataElement: string;
  let dataElementRevision: string;
  let rule: string;

  const revisions = async (type: string, id: string) => dataOf<Revisioned[]>(await api.get(`/${type}/${id}/revisions`)).length;
  const libraryCount = async () => dataOf<unknown[]>(await api.get(`/properties/${property}/libraries`)).length;
  const contents = async (id: string, type: string) => dataOf<Linkage>(await api.get(`/libraries/${id}/relationships/${type}`));

  beforeAll(async () => {
    await api.start();
    property = await createProperty(api);
    host = await createAkamaiHost(api, property);
    extension = await coreExtension(api, property);
    dataElement = await createDataElement(api, property, extension, 'de');
    dataElementRevision = await revise(api, 'data_elements', dataElement);
    rule = await createRule(api, property, 'rule');
  });
  afterAll(() => api.stop());

  it('applies the environment, a revision, and revise items (revised, their new revision attached) on create', async () => {
    const env = await createEnvironment(api, property, host, 'development', 'dev-create');
    const res = await api.post(
      `/properties/${property}/libraries`,
      library('full', {
        environment: { data: { id: env, type: 'environments' } },
        data_elements: { data: [item(dataElementRevision, 'data_elements')] },
        extensions: { data: [item(extension, 'extensions', 'revise')] },
        rules: { data: [item(rule, 'rules', 'revise')] },
      }),
    );
    const created = dataOf<{ id: string; relationships: { environment: { data: { id: string } | null } } }>(res, 201);
    expect(created.relationships.environment.data?.id).toBe(env);
    expect(await contents(created.id, 'data_elements')).toEqual([{ id: dataElementRevision, type: 'data_elements' }]);
    for (const [type, head] of [['extensions', extension], ['rules', rule]] as const) {
      const [linked] = await contents(created.id, type);
      const revision = dataOf<Revisioned>(await api.get(`/${type}/${linked?.id}`));
      expect(revision.id).not.toBe(head);
      expect(revision.relationships.origin.data.id).toBe(head);
      expect(revision.attributes.revision_number).toBeGreaterThan(0);
    }
  });

  it.each([
    // Relationships are built in the test: the ids exist only once beforeAll has run.
    ['an item action other than revise', () => ({ rules: { data: [item(rule, 'rules', 'publish')] } }), 'invalid-action', '/data/relationships/rules/data/0/meta/action'],
    ['revise on a revision', () => ({ rules: { data: [item(rule, 'rules', 'revise')] }, data_elements: { data: [item(dataElementRevision, 'data_elements', 'revise')] } }), 'invalid-data_element', '/data/relationships/data_elements/data/0/id'],
    ['a head without revise', () => ({ extensions: { data: [item(extension, 'extensions', 'revise')] }, rules: { data: [item(rule, 'rules')] } }), 'invalid-rule', '/data/relationships/rules/data/0/id'],
  ])('refuses %s with 422 at its pointer, leaving no library and no revision behind', async (_what, relationships, code, pointer) => {
    const [libraries, extensionRevisions, ruleRevisions] = [await libraryCount(), await revisions('extensions', extension), await revisions('rules', rule)];
    const body = library('refused', relationships());
    const error = expectError(await api.post(`/properties/${property}/libraries`, body), 422, code, body);
    expect(error['source']).toEqual({ pointer });
    expect([await libraryCount(), await revisions('extensions', extension), await revisions('rules', rule)]).toEqual([libraries, extensionRevisions, ruleRevisions]);
  });

  it('rolls the revisions back when the environment is refused after them (environment-in-use)', async () => {
    const env = await createEnvironment(api, property, host, 'development', 'dev-taken');
    dataOf(await api.post(`/properties/${property}/libraries`, library('holder', { environment: { data: { id: env, type: 'environments' } } })), 201);
    const ruleRevisions = await revisions('rules', rule);
    const body = library('second', { environment: { data: { id: env, type: 'environments' } }, rules: { data: [item(rule, 'rules', 'revise')] } });
    const error = expectError(await api.post(`/properties/${property}/libraries`, body), 422, 'environment-in-use', body);
    expect(error['source']).toEqual({ pointer: '/data/relationships/environment/data/id' });
    expect(await revisions('rules', rule)).toBe(ruleRevisions);
  });

  it('takes revise items on POST and PATCH of the relationship endpoints, and refuses an action on DELETE', async () => {
    const id = await createLibrary(api, property, 'endpoints');
    const added = dataOf<Linkage>(await api.post(`/libraries/${id}/relationships/rules`, { data: [item(rule, 'rules', 'revise')] }));
    expect(added).toHaveLength(1);
    expect(added[0]?.id).not.toBe(rule);
    expect(await contents(id, 'rules')).toEqual(added);
    const replaced = dataOf<Linkage>(await api.patch(`/libraries/${id}/relationships/rules`, { data: [item(rule, 'rules', 'revise')] }));
    expect(replaced).toHaveLength(1);
    expect(replaced[0]?.id).not.toBe(added[0]?.id);
    const body = { data: [item(replaced[0]?.id ?? '', 'rules', 'revise')] };
    const error = expectError(await api.delete(`/libraries/${id}/relationships/rules`, body), 422, 'invalid-action', body);
    expect(error['source']).toEqual({ pointer: '/data/0/meta/action' });
    expect(await contents(id, 'rules')).toEqual(replaced);
  });
});
