import { TestApi, createAkamaiHost, createEnvironment, createLibrary, createProperty, dataOf, expectError } from './harness';

/**
 * Issue 14, item 3: client mistakes that used to reach PostgreSQL (or the sort allowlist) and come
 * back as 500 `internal-error`. Each must be a 4xx naming where the mistake is.
 */
describe('reactor-api input hygiene at the edge', () => {
  const api = new TestApi();
  let propertyId = '';
  let companyId = '';
  beforeAll(async () => {
    await api.start();
    companyId = dataOf<Array<{ id: string }>>(await api.get('/companies'))[0]?.id ?? '';
    propertyId = await createProperty(api);
  });
  afterAll(() => api.stop());

  describe('characters PostgreSQL cannot store', () => {
    it.each([
      ['U+0000', 'a\u0000b'],
      ['a lone high surrogate', 'a\ud800b'],
      ['a lone low surrogate', '\udc00'],
    ])('%s in an attribute → 422 validation-error at its pointer', async (_what, name) => {
      const body = { data: { type: 'properties', attributes: { name, platform: 'web', domains: ['example.com'] } } };
      const error = expectError(await api.post(`/companies/${companyId}/properties`, body), 422, 'validation-error', body);
      expect(error['source']).toEqual({ pointer: '/data/attributes/name' });
    });

    it('U+0000 in a member name deep in the document → 422 with the pointer of that member', async () => {
      const body = { data: { type: 'rules', attributes: { name: 'R', nested: [{ ok: 1 }, { 'k\u0000/~': 'v' }] } } };
      const error = expectError(await api.post(`/properties/${propertyId}/rules`, body), 422, 'validation-error', body);
      expect(error['source']).toEqual({ pointer: '/data/attributes/nested/1/k\u0000~1~0' });
    });

    it('U+0000 in a relationship id → 422 at that id', async () => {
      const hostId = await createAkamaiHost(api, propertyId);
      expect(hostId).toMatch(/^HT/);
      const body = { data: { type: 'environments', attributes: { name: 'E', stage: 'development' }, relationships: { host: { data: { id: `${hostId}\u0000`, type: 'hosts' } } } } };
      const error = expectError(await api.post(`/properties/${propertyId}/environments`, body), 422, 'validation-error', body);
      expect(error['source']).toEqual({ pointer: '/data/relationships/host/data/id' });
    });

    it('U+0000 in a linkage document → 422 at that id', async () => {
      const libraryId = await createLibrary(api, propertyId);
      const body = { data: [{ id: 'RL\u0000', type: 'rules' }] };
      const error = expectError(await api.post(`/libraries/${libraryId}/relationships/rules`, body), 422, 'validation-error', body);
      expect(error['source']).toEqual({ pointer: '/data/0/id' });
    });

    // A lone surrogate cannot reach a path id: its UTF-8 form (%ED%A0%80) is not valid UTF-8, so the
    // router already answers 404 route-not-found before any route runs.
    it('%00 in a path id → 400 invalid-parameter naming the path parameter', async () => {
      for (const path of [`/properties/PR%00`, `/properties/${propertyId}%00/rules`, `/libraries/LB%00/relationships/rules`, '/hosted/x%00y.js']) {
        const error = expectError(await api.get(path), 400, 'invalid-parameter');
        expect(error['meta']).toMatchObject({ path_parameter: path.startsWith('/hosted') ? '*' : 'id' });
      }
    });

    it('U+0000 in a filter value or a query parameter name → 400 invalid-parameter with source.parameter', async () => {
      const byValue = expectError(await api.get(`/properties/${propertyId}/rules?filter[name]=EQ%20a%00b`), 400, 'invalid-parameter');
      expect(byValue['source']).toEqual({ parameter: 'filter[name]' });
      const byContains = expectError(await api.get(`/companies/${companyId}/properties?filter[name]=CONTAINS%20%00`), 400, 'invalid-parameter');
      expect(byContains['source']).toEqual({ parameter: 'filter[name]' });
      const byName = expectError(await api.get(`/companies/${companyId}/properties?x%00=1`), 400, 'invalid-parameter');
      expect(byName['source']).toEqual({ parameter: 'x\ufffd' });
    });

    it('still stores and returns ordinary non-ASCII text, including astral characters and U+FFFD', async () => {
      const name = 'Zoë 名前 😀 \ufffd \u0001';
      const res = await api.post(`/properties/${propertyId}/rules`, { data: { type: 'rules', attributes: { name } } });
      expect(dataOf<{ attributes: { name: string } }>(res, 201).attributes.name).toBe(name);
    });
  });

  describe('numbers beyond what SQL takes', () => {
    it.each(['99999999999999999999', '2147483648', '9007199254740993'])('page[number]=%s → 400 invalid-parameter', async (n) => {
      const error = expectError(await api.get(`/properties/${propertyId}/rules?page[number]=${n}`), 400, 'invalid-parameter');
      expect(error['source']).toEqual({ parameter: 'page[number]' });
      expectError(await api.get(`/companies?page[number]=${n}`), 400, 'invalid-parameter');
    });

    it('the largest page number is still a page (empty, past the end)', async () => {
      const res = await api.get(`/properties/${propertyId}/rules?page[number]=2147483647&page[size]=100`);
      expect(dataOf<unknown[]>(res)).toEqual([]);
      expect((res.body as { meta: { pagination: { current_page: number } } }).meta.pagination.current_page).toBe(2147483647);
    });

    it.each([
      ['filter[revision_number]=EQ 99999999999', '/rules'],
      ['filter[revision_number]=BETWEEN -9999999999,1', '/data_elements'],
      ['filter[created_at]=LT -118873-11-21T01:06:59.626Z', '/rules'],
      ['filter[updated_at]=GT +274452-09-27T18:39:30.038Z', '/extensions'],
    ])('%s is a malformed filter, ignored (§1.6), not a value PostgreSQL refuses', async (filter, list) => {
      const res = await api.get(`/properties/${propertyId}${list}?${filter.replace(/ /g, '%20').replace(/\+/g, '%2B')}`);
      expect(res.status).toBe(200);
      expect(await api.get('/extension_packages?' + filter.replace(/ /g, '%20').replace(/\+/g, '%2B'))).toMatchObject({ status: 200 });
    });

    it.each([
      ['order', 2147483648],
      ['order', -1e15],
      ['timeout', 1e12],
    ])('attribute %s = %d, beyond PostgreSQL integer, → 422 at its pointer', async (attribute, value) => {
      const core = dataOf<Array<{ id: string }>>(await api.get(`/properties/${propertyId}/extensions?filter[name]=EQ%20core`))[0]?.id ?? '';
      const rule = dataOf<{ id: string }>(await api.post(`/properties/${propertyId}/rules`, { data: { type: 'rules', attributes: { name: `R-${attribute}` } } }), 201).id;
      const body = {
        data: {
          type: 'rule_components',
          attributes: { name: 'click', delegate_descriptor_id: 'core::events::click', settings: JSON.stringify({ elementSelector: 'a' }), [attribute]: value },
          relationships: { extension: { data: { id: core, type: 'extensions' } }, rules: { data: [{ id: rule, type: 'rules' }] } },
        },
      };
      const error = expectError(await api.post(`/properties/${propertyId}/rule_components`, body), 422, 'validation-error', body);
      expect(error['source']).toEqual({ pointer: `/data/attributes/${attribute}` });
      body.data.attributes[attribute] = 2147483647;
      expect((await api.post(`/properties/${propertyId}/rule_components`, body)).status).toBe(201);
    });

    it('page[size] beyond 100 is still clamped, as clients ask 999 (§1.5)', async () => {
      const res = await api.get(`/properties/${propertyId}/rules?page[size]=99999999999999999999`);
      expect(res.status).toBe(200);
    });
  });

  describe('allowlists are own properties only', () => {
    it.each(['__proto__', 'constructor', '-toString', 'hasOwnProperty', 'valueOf,-name', '__defineGetter__'])('sort=%s is ignored like any unknown attribute', async (sort) => {
      await createEnvironment(api, propertyId, await createAkamaiHost(api, propertyId, `H-${sort}`), 'development', `E-${sort}`);
      for (const path of [`/properties/${propertyId}/rules`, `/properties/${propertyId}/environments`, `/companies/${companyId}/properties`, '/companies', '/extension_packages']) {
        const res = await api.get(`${path}?sort=${encodeURIComponent(sort)}`);
        if (res.status !== 200) {
          throw new Error(`${path}?sort=${sort} answered ${res.status}: ${res.text}`);
        }
      }
    });

    it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('meta.action %s on a library is an unknown action (422), not a transition', async (action) => {
      const libraryId = await createLibrary(api, propertyId, `L-${action}`);
      const body = { data: { id: libraryId, type: 'libraries', meta: { action } } };
      const error = expectError(await api.patch(`/libraries/${libraryId}`, body), 422, 'invalid-action', body);
      expect(error['source']).toEqual({ pointer: '/data/meta/action' });
    });

    it.each(['__proto__', 'constructor', 'tostring'])('filter[%s] is ignored like any unknown attribute', async (attribute) => {
      const res = await api.get(`/properties/${propertyId}/rules?filter[${attribute}]=EQ%20x`);
      expect(res.status).toBe(200);
    });
  });
});
