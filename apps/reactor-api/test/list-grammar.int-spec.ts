import { RequestMethod } from '@nestjs/common';
import { AuthRepository } from '../src/auth/auth.repository';
import { uploadPackage } from './package-fixtures';
import { WorkerDouble } from './worker-double';
import { TestApi, controllerRoutes, coreExtension, createAkamaiHost, createDataElement, createEnvironment, createProperty, createRule, dataOf, revise } from './harness';

/*
 * Issue 19 item 3: every list route — top-level and related-resource lists alike — takes
 * `filter[…]`, `sort`, `page[number]` and `page[size]` as the top-level lists do (§1.5-1.7), and
 * answers another company 404. The routes come from Nest's controller metadata (as in
 * fuzz.int-spec.ts): a GET route whose document's `data` is an array is a list, so a new list route
 * is checked without touching this file. Before the fix `/libraries/{id}/{rules|…}` and
 * `/{rules|…}/{id}/libraries` ignored all four.
 */

interface Item {
  id: string;
  attributes: { created_at: string };
}
interface ListDoc {
  data: Item[];
  meta?: { pagination?: { current_page: number; total_count: number } };
}

const rel = (id: string, type: string) => ({ data: { id, type } });
const rels = (type: string, ...ids: string[]) => ({ data: ids.map((id) => ({ id, type })) });
const OTHER_TOKEN = 'list-grammar-other-company-0123456789';

/** Lists that cannot hold two items, and why; every other list is seeded with two or more. */
const FEWER_THAN_TWO: Record<string, string> = {
  '/companies': 'a token sees its own company only',
  '/rule_components/:id/libraries': 'rule components enter libraries only with their rule',
  '/rule_components/:id/rules': 'a rule component belongs to one rule',
};

describe('every list route honours filter, sort, page[number] and page[size] (§1.5-1.7)', () => {
  const api = new TestApi();
  const worker = new WorkerDouble(api);
  /** The id each `:id` stands for, by the type segment before it; `byPath` overrides it for one route. */
  const byType: Record<string, string> = {};
  const byPath: Record<string, string> = {};

  const created = async (path: string, body: unknown) => dataOf<{ id: string }>(await api.post(path, body), 201).id;
  const twoNotes = async (type: string, id: string) => {
    for (const text of ['first note', 'second note']) {
      await created(`/${type}/${id}/notes`, { data: { type: 'notes', attributes: { text } } });
    }
  };

  async function seedResources(property: string): Promise<void> {
    const host = await createAkamaiHost(api, property);
    await createAkamaiHost(api, property, 'second');
    byType['hosts'] = host;
    byType['environments'] = await createEnvironment(api, property, host, 'development', 'dev 1');
    await createEnvironment(api, property, host, 'development', 'dev 2');
    const core = await coreExtension(api, property);
    const pkg = (await uploadPackage(api, worker, 'acme-lists', '1.0.0')).id;
    await uploadPackage(api, worker, 'acme-lists', '1.0.1'); // a second version for /extension_packages/:id/versions
    for (const org of ['LISTSA@AdobeOrg', 'LISTSB@AdobeOrg']) {
      await created(`/extension_packages/${pkg}/extension_package_usage_authorizations`, { data: { type: 'extension_package_usage_authorizations', attributes: { authorized_org_id: org } } });
    }
    byType['extension_packages'] = pkg;
    const other = await created(`/properties/${property}/extensions`, { data: { type: 'extensions', attributes: {}, relationships: { extension_package: rel(pkg, 'extension_packages') } } });
    await revise(api, 'extensions', core);
    const [coreRev, otherRev] = [await revise(api, 'extensions', core), await revise(api, 'extensions', other)];
    const [de1, de2] = [await createDataElement(api, property, core, 'de 1'), await createDataElement(api, property, core, 'de 2')];
    await revise(api, 'data_elements', de1);
    const [de1Rev, de2Rev] = [await revise(api, 'data_elements', de1), await revise(api, 'data_elements', de2)];
    const [rule1, rule2] = [await createRule(api, property, 'rule 1'), await createRule(api, property, 'rule 2')];
    const component = (name: string) => ({
      data: {
        type: 'rule_components',
        attributes: { name, delegate_descriptor_id: 'core::events::click', settings: JSON.stringify({ elementSelector: 'a' }) },
        relationships: { extension: rel(core, 'extensions'), rules: rels('rules', rule1) },
      },
    });
    byType['rule_components'] = await created(`/rules/${rule1}/rule_components`, component('click 1'));
    await created(`/rules/${rule1}/rule_components`, component('click 2'));
    byPath['/rules/:id/rule_components'] = rule1;
    await revise(api, 'rules', rule1);
    const [rule1Rev, rule2Rev] = [await revise(api, 'rules', rule1), await revise(api, 'rules', rule2)];
    Object.assign(byType, { extensions: coreRev, data_elements: de1Rev, rules: rule1Rev });
    const library = (name: string, env: Record<string, unknown>, all: boolean) => ({
      data: {
        type: 'libraries',
        attributes: { name },
        relationships: {
          ...env,
          extensions: rels('extensions', coreRev, ...(all ? [otherRev] : [])),
          data_elements: rels('data_elements', de1Rev, ...(all ? [de2Rev] : [])),
          rules: rels('rules', rule1Rev, ...(all ? [rule2Rev] : [])),
        },
      },
    });
    byType['libraries'] = await created(`/properties/${property}/libraries`, library('lib 1', { environment: rel(byType['environments'] ?? '', 'environments') }, true));
    await created(`/properties/${property}/libraries`, library('lib 2', {}, false));
    byType['builds'] = await created(`/libraries/${byType['libraries']}/builds`, undefined);
    await created(`/libraries/${byType['libraries']}/builds`, undefined);
    for (const [type, id] of [['properties', property], ['libraries', byType['libraries']], ['extensions', coreRev], ['data_elements', de1Rev], ['rules', rule1Rev], ['rule_components', byType['rule_components']]] as const) {
      await twoNotes(type, id ?? '');
    }
  }

  async function seedEdge(company: string): Promise<void> {
    const edge = await created(`/companies/${company}/properties`, { data: { type: 'properties', attributes: { name: 'edge', platform: 'edge' } } });
    const env = await createEnvironment(api, edge, await createAkamaiHost(api, edge), 'development', 'edge dev');
    const secret = (name: string) => ({ data: { type: 'secrets', attributes: { name, type_of: 'token', credentials: { token: 't' } }, relationships: { environment: rel(env, 'environments') } } });
    byType['secrets'] = await created(`/properties/${edge}/secrets`, secret('s1'));
    await created(`/properties/${edge}/secrets`, secret('s2'));
    await twoNotes('secrets', byType['secrets']);
    Object.assign(byPath, { '/properties/:id/secrets': edge, '/environments/:id/secrets': env });
  }

  beforeAll(async () => {
    await api.start();
    const company = dataOf<Array<{ id: string }>>(await api.get('/companies'))[0]?.id ?? '';
    byType['companies'] = company;
    const property = await createProperty(api, 'lists');
    await createProperty(api, 'second');
    byType['properties'] = property;
    await seedResources(property);
    await seedEdge(company);
    for (const url of ['https://hooks.example/1', 'https://hooks.example/2']) {
      byType['callbacks'] = await created(`/properties/${property}/callbacks`, { data: { attributes: { url, subscriptions: ['rule.created'] } } });
    }
    const repository = api.app.get(AuthRepository);
    await repository.saveToken((await repository.ensureCompany('LISTSOTHER00@AdobeOrg')).id, OTHER_TOKEN, 'other', ['develop'], null);
  });
  afterAll(async () => {
    await worker.close();
    await api.stop();
  });

  const urlOf = (path: string) => path.replace(/\/([a-z_]+)\/:id/g, (_m, type: string) => `/${type}/${byPath[path] ?? byType[type] ?? 'missing'}`);
  const read = async (url: string, query: string, token?: string): Promise<{ status: number; doc: ListDoc }> => {
    const res = await api.get(`${url}${url.includes('?') ? '&' : '?'}${query}`, token === undefined ? {} : { token });
    return { status: res.status, doc: res.body as ListDoc };
  };
  const ids = (doc: ListDoc) => doc.data.map((i) => i.id);

  /** The list routes: GET routes with only `:id` parameters (not linkage endpoints) whose `data` is an array. */
  async function listRoutes(): Promise<string[]> {
    const paths = controllerRoutes(api)
      .filter((r) => r.method === RequestMethod.GET && !r.path.includes('/relationships/') && !/\*|:(?!id\b)/.test(r.path))
      .map((r) => r.path);
    const lists: string[] = [];
    for (const path of [...new Set(paths)]) {
      const { status, doc } = await read(urlOf(path), 'page[size]=100');
      if (status === 200 && Array.isArray(doc?.data)) {
        lists.push(path);
      }
    }
    return lists;
  }

  /** What is wrong with one list route (empty when it honours all four and refuses another company). */
  async function problemsOf(path: string): Promise<string[]> {
    const url = urlOf(path);
    const problems: string[] = [];
    const all = (await read(url, 'page[size]=100')).doc;
    const expect = (ok: boolean, what: string) => (ok ? undefined : problems.push(`${path}: ${what}`));
    expect(all.data.length >= 2 || Object.hasOwn(FEWER_THAN_TWO, path), `seeded with ${all.data.length} items (needs 2 to check sort and page[size])`);
    expect(all.meta?.pagination?.total_count === all.data.length, 'meta.pagination.total_count is not the number of items');
    const none = (await read(url, 'filter[created_at]=LT 2000-01-01T00:00:00Z&page[size]=100')).doc;
    expect(none.data.length === 0 && none.meta?.pagination?.total_count === 0, `filter[created_at]=LT 2000 kept ${none.data.length} items`);
    const every = (await read(url, 'filter[created_at]=BETWEEN 2000-01-01T00:00:00Z,2999-01-01T00:00:00Z&page[size]=100')).doc;
    expect(ids(every).join() === ids(all).join(), 'filter[created_at]=BETWEEN 2000,2999 changed the list');
    const first = (await read(url, 'page[size]=1')).doc;
    expect(ids(first).join() === ids(all).slice(0, 1).join(), `page[size]=1 answered ${first.data.length} items`);
    const second = (await read(url, 'page[size]=1&page[number]=2')).doc;
    expect(ids(second).join() === ids(all).slice(1, 2).join() && second.meta?.pagination?.current_page === 2, 'page[number]=2&page[size]=1 is not the second item');
    const past = (await read(url, 'page[number]=2&page[size]=100')).doc;
    expect(past.data.length === 0, `page[number]=2 (past the end) answered ${past.data.length} items`);
    const ascending = (await read(url, 'sort=created_at&page[size]=100')).doc;
    const descending = (await read(url, 'sort=-created_at&page[size]=100')).doc;
    const times = (doc: ListDoc) => doc.data.map((i) => i.attributes.created_at);
    expect(times(descending).join() === [...times(ascending)].reverse().join() && [...ids(descending)].sort().join() === [...ids(all)].sort().join(), 'sort=-created_at is not sort=created_at reversed');
    expect(new Set(times(all)).size < 2 || ids(descending).join() !== ids(ascending).join(), 'sort=-created_at answered the ascending order');
    const foreign = await read(url, 'page[size]=1', OTHER_TOKEN);
    expect(foreign.status === 404 || path === '/companies' || path === '/extension_packages' || path === '/audit_events', `another company got ${foreign.status}`);
    return problems;
  }

  it('finds the list routes from Nest metadata, the related-resource lists among them', async () => {
    const lists = await listRoutes();
    expect(lists).toEqual(expect.arrayContaining(['/libraries/:id/rules', '/libraries/:id/data_elements', '/libraries/:id/extensions', '/rules/:id/libraries', '/data_elements/:id/libraries', '/extensions/:id/libraries', '/rules/:id/rule_components', '/rules/:id/revisions', '/properties/:id/libraries']));
    expect(lists.length).toBeGreaterThan(25);
  });

  it('checks all four parameters, and another company’s 404, on every list route', async () => {
    const lists = await listRoutes();
    const problems: string[] = [];
    for (const path of lists) {
      problems.push(...(await problemsOf(path)));
    }
    expect(problems).toEqual([]);
  });
});
