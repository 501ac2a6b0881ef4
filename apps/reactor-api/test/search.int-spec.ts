import { sql } from 'kysely';
import { AuthRepository } from '../src/auth/auth.repository';
import { DB, type Db } from '../src/database/database';
import { TestApi, coreExtension, createDataElement, createProperty, createRule, dataOf, expectError, revise } from './harness';

/*
 * Issue 19 item 4: `POST /search`, Adobe's search resource, answered from the database: value,
 * exists and range conditions, resource_types, sort, from/size, the caller's company only, and
 * refusals of bad documents at their pointers.
 */

interface Hit {
  id: string;
  type: string;
  attributes: { name: string; revision_number: number };
  meta?: unknown;
}
interface SearchDoc {
  data: Hit[];
  meta: { total_hits: number; total_hits_relation: string };
}

const OTHER_TOKEN = 'search-other-company-0123456789abcdef';

describe('POST /search (Adobe’s search resource)', () => {
  const api = new TestApi();
  const ids: Record<string, string> = {};
  const search = async (data: Record<string, unknown>, token?: string) => {
    const res = await api.post('/search', { data }, token === undefined ? {} : { token });
    if (res.status !== 200) {
      throw new Error(`search answered ${res.status}: ${res.text}`);
    }
    return res.body as SearchDoc;
  };
  const names = (doc: SearchDoc) => doc.data.map((h) => `${h.type}:${h.attributes.name}:${h.attributes.revision_number}`);

  beforeAll(async () => {
    await api.start();
    const property = await createProperty(api, 'search');
    const core = await coreExtension(api, property);
    ids['checkout'] = await createRule(api, property, 'Checkout');
    ids['home'] = await createRule(api, property, 'Home page');
    ids['deleted'] = await createRule(api, property, 'Deleted');
    ids['checkoutRev'] = await revise(api, 'rules', ids['checkout']);
    ids['de'] = await createDataElement(api, property, core, 'checkout');
    expect((await api.delete(`/rules/${ids['deleted']}`)).status).toBe(204);
    const repository = api.app.get(AuthRepository);
    await repository.saveToken((await repository.ensureCompany('SEARCHOTHER0@AdobeOrg')).id, OTHER_TOKEN, 'other', ['develop'], null);
    const otherProperty = await createProperty(api, 'other', OTHER_TOKEN);
    await api.post(`/properties/${otherProperty}/rules`, { data: { type: 'rules', attributes: { name: 'Checkout' } } }, { token: OTHER_TOKEN });
  });
  afterAll(() => api.stop());

  it('matches a value case-insensitively on the whole field, across types, heads and revisions, in the caller’s company only', async () => {
    const doc = await search({ query: { 'attributes.name': { value: 'CHECKOUT' } } });
    expect(names(doc).sort()).toEqual(['data_elements:checkout:0', 'rules:Checkout:0', 'rules:Checkout:1']);
    expect(doc.meta.total_hits).toBe(3);
    expect(doc.data.every((h) => h.meta === undefined)).toBe(true);
    const other = await search({ query: { 'attributes.name': { value: 'checkout' } } }, OTHER_TOKEN);
    expect(names(other)).toEqual(['rules:Checkout:0']);
    expect(names(await search({ query: { 'attributes.name': { value: 'Deleted' } } }))).toEqual([]);
    expect(names(await search({ query: { 'attributes.name': { value: 'Home' } } }))).toEqual([]);
  });

  it('scopes to resource_types, and takes exists, range and attributes.*', async () => {
    expect(names(await search({ query: { 'attributes.name': { value: 'checkout' } }, resource_types: ['data_elements'] }))).toEqual(['data_elements:checkout:0']);
    const withDelegate = await search({ query: { 'attributes.delegate_descriptor_id': { exists: true } }, resource_types: ['rules', 'data_elements'] });
    expect(names(withDelegate)).toEqual(['data_elements:checkout:0']);
    const revisions = await search({ query: { 'attributes.revision_number': { range: { gt: '0', lte: 2 } } }, resource_types: ['rules'] });
    expect(names(revisions)).toEqual(['rules:Checkout:1']);
    expect(names(await search({ query: { 'attributes.*': { value: 'home page' } } }))).toEqual(['rules:Home page:0']);
  });

  it('sorts and pages with sort, from and size; total_hits counts every match', async () => {
    const all = await search({ resource_types: ['rules'], sort: [{ 'attributes.name': 'desc' }, { 'attributes.revision_number': 'asc' }] });
    expect(names(all)).toEqual(['rules:Home page:0', 'rules:Checkout:0', 'rules:Checkout:1']);
    const second = await search({ resource_types: ['rules'], sort: [{ 'attributes.name': 'desc' }, { 'attributes.revision_number': 'asc' }], from: 1, size: 1 });
    expect(names(second)).toEqual(['rules:Checkout:0']);
    expect(second.meta.total_hits).toBe(3);
  });

  it.each([
    ['no data', {}, 400, 'invalid-document', '/data'],
    ['a query that is not an object', { data: { query: [] } }, 400, 'invalid-document', '/data/query'],
    ['an unknown field', { data: { query: { 'attributes.nope': { value: 'x' } } } }, 422, 'validation-error', '/data/query/attributes.nope'],
    ['a path outside attributes', { data: { query: { 'meta/x': { value: 'x' } } } }, 422, 'validation-error', '/data/query/meta~1x'],
    ['value_operator', { data: { query: { 'attributes.name': { value: 'a b', value_operator: 'OR' } } } }, 422, 'validation-error', '/data/query/attributes.name/value_operator'],
    ['a value of the wrong type', { data: { query: { 'attributes.enabled': { value: 'yes' } } } }, 422, 'validation-error', '/data/query/attributes.enabled/value'],
    ['a range on text', { data: { query: { 'attributes.name': { range: { gt: 1 } } } } }, 422, 'validation-error', '/data/query/attributes.name/range'],
    ['two conditions in one', { data: { query: { 'attributes.name': { value: 'a', exists: true } } } }, 422, 'validation-error', '/data/query/attributes.name'],
    ['size above 100', { data: { size: 101 } }, 422, 'validation-error', '/data/size'],
    ['a negative from', { data: { from: -1 } }, 422, 'validation-error', '/data/from'],
    ['a sort direction', { data: { sort: [{ 'attributes.name': 'up' }] } }, 422, 'validation-error', '/data/sort/0/attributes.name'],
    ['a type not searchable here', { data: { resource_types: ['rules', 'libraries'] } }, 422, 'validation-error', '/data/resource_types/1'],
    ['an unknown member', { data: { filter: {} } }, 422, 'validation-error', '/data/filter'],
  ])('refuses %s with its status and pointer', async (_what, body, status, code, pointer) => {
    const error = expectError(await api.post('/search', body), status, code, body);
    expect(error['source']).toEqual({ pointer });
  });

  it('counts matches up to 10,000, then says "gte"', async () => {
    const property = await createProperty(api, 'bulk');
    await sql`insert into revisioned (id, type, property_id, origin_id, revision_number, latest_revision_number, name, enabled, dirty, published, review_status, created_at, updated_at)
      select 'RLbulk' || i, 'rules', ${property}, 'RLbulk' || i, 0, 0, case when i <= 10000 then 'bulk' else 'bulk extra' end, true, true, false, 'unsubmitted', now(), now()
      from generate_series(1, 10001) as i`.execute(api.app.get<Db>(DB));
    const exact = await search({ query: { 'attributes.name': { value: 'bulk' } }, size: 1 });
    expect([exact.meta.total_hits, exact.meta.total_hits_relation, exact.data.length]).toEqual([10000, 'eq', 1]);
    const capped = await search({ query: { 'attributes.name': { exists: true } }, resource_types: ['rules'], size: 1 });
    expect([capped.meta.total_hits, capped.meta.total_hits_relation]).toEqual([10000, 'gte']);
  });

  it('needs a token like every route', async () => {
    expectError(await api.post('/search', { data: {} }, { token: null }), 401, 'authentication-failure');
    expect(dataOf<unknown[]>(await api.post('/search', { data: { size: 1 } }))).toHaveLength(1);
  });
});
