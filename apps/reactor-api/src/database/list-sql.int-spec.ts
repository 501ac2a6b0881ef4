import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { openDatabase, type Db } from './database';
import { PreparedQuery } from './prepared-query';
import { REVISIONED_COLUMNS } from '../revisioned/revisioned.types';
import { parseListQuery } from '../jsonapi/list-query';
import { PreparedList, runList } from './list-sql';

// On PGlite, or on PostgreSQL with TEST_DATABASE_URL (where prepared lists also run as named statements).
const url = process.env['TEST_DATABASE_URL'];

describe('lists: runList and PreparedList answer alike', () => {
  const schema = `t_${randomUUID().replace(/-/g, '')}`;
  let db: Db;
  const heads = new PreparedList('revisioned', REVISIONED_COLUMNS, (d, a: { propertyId: string; type: string }) =>
    d.selectFrom('revisioned').selectAll('revisioned').where('revisioned.property_id', '=', a.propertyId).where('revisioned.type', '=', a.type),
  );
  const dynamic = (query: unknown) =>
    runList(
      db.selectFrom('revisioned').selectAll('revisioned').where('revisioned.property_id', '=', 'PR1').where('revisioned.type', '=', 'rules'),
      'revisioned',
      parseListQuery(query, REVISIONED_COLUMNS),
      REVISIONED_COLUMNS,
    );
  const prepared = (query: unknown, propertyId = 'PR1') => heads.run(db, { propertyId, type: 'rules' }, parseListQuery(query, REVISIONED_COLUMNS));

  beforeAll(async () => {
    db = await openDatabase({ url, dataDir: null, schema });
    const now = Date.UTC(2024, 0, 1);
    await db.insertInto('companies').values({ id: 'CO1', name: 'c', org_id: `${schema}@AdobeOrg`, token: schema.slice(0, 12), created_at: new Date(now), updated_at: new Date(now) }).execute();
    for (const id of ['PR1', 'PR2']) {
      await db
        .insertInto('properties')
        .values({
          id,
          company_id: 'CO1',
          name: id,
          platform: 'web',
          domains: '["example.com"]',
          development: false,
          privacy: 'optedin',
          rule_component_sequencing_enabled: false,
          ssl_enabled: true,
          undefined_vars_return_empty: false,
          enabled: true,
          token: `${id}${schema.slice(0, 9)}`,
          created_at: new Date(now),
          updated_at: new Date(now),
        })
        .execute();
    }
    const names = ['Larimar', 'Peridot', 'Kunzite', 'Opal', 'Pearl (P%(x)', 'Zircon', 'Agate'];
    await db
      .insertInto('revisioned')
      .values(
        names.map((name, i) => ({
          id: `RL${i}`,
          origin_id: `RL${i}`,
          type: 'rules',
          property_id: i === 6 ? 'PR2' : 'PR1',
          revision_number: 0,
          latest_revision_number: 0,
          name,
          enabled: i % 2 === 0,
          dirty: false,
          published: false,
          review_status: 'unsubmitted',
          created_at: new Date(now + (i % 3) * 1000),
          updated_at: new Date(now),
        })),
      )
      .execute();
  });
  afterAll(async () => {
    await db?.destroy();
    if (url !== undefined) {
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    }
  });

  const queries: Array<Record<string, string>> = [
    {},
    { 'page[size]': '2' },
    { 'page[size]': '2', 'page[number]': '3' },
    { 'page[size]': '2', 'page[number]': '9' },
    { 'filter[name]': 'CONTAINS erido,CONTAINS nzite', sort: '-name' },
    { 'filter[name]': 'CONTAINS P%(' },
    { 'filter[name]': 'EQ Opal' },
    { 'filter[name]': 'NOT Opal,NOT Zircon', sort: 'name' },
    { 'filter[enabled]': 'EQ true', sort: '-created_at' },
    { 'filter[created_at]': 'BETWEEN 2024-01-01T00:00:00.500Z,2024-01-01T00:00:01.500Z' },
    { 'filter[created_at]': 'GT 2024-01-01T00:00:00.500Z', 'filter[name]': 'LT P' },
    { 'filter[name]': 'EQ Nothing' },
  ];

  it.each(queries.map((q) => [JSON.stringify(q), q]))('%s', async (_label, query) => {
    const expected = await dynamic(query);
    // Twice: the first call builds and compiles the shape, the second only binds values.
    expect(await prepared(query)).toEqual(expected);
    expect(await prepared(query)).toEqual(expected);
  });

  it('answers what §1.5-1.7 say (so that agreeing is not agreeing on a wrong answer)', async () => {
    const names = async (query: Record<string, string>) => (await prepared(query)).items.map((r) => r.name);
    expect(await names({ 'filter[name]': 'CONTAINS erido,CONTAINS nzite', sort: '-name' })).toEqual(['Peridot', 'Kunzite']);
    expect(await names({ 'filter[name]': 'CONTAINS P%(' })).toEqual(['Pearl (P%(x)']);
    expect(await names({ 'filter[name]': 'NOT Opal,NOT Zircon', sort: 'name' })).toEqual(['Kunzite', 'Larimar', 'Pearl (P%(x)', 'Peridot']);
    const page = await prepared({ 'page[size]': '2', 'page[number]': '3' });
    expect([page.items.length, page.total]).toEqual([2, 6]);
    const past = await prepared({ 'page[size]': '2', 'page[number]': '9' });
    expect([past.items.length, past.total]).toEqual([0, 6]);
  });

  it('a shape compiled for one set of values answers for others', async () => {
    expect((await prepared({ 'filter[name]': 'EQ Opal' })).items.map((r) => r.name)).toEqual(['Opal']);
    expect((await prepared({ 'filter[name]': 'EQ Zircon' })).items.map((r) => r.name)).toEqual(['Zircon']);
    const other = await prepared({}, 'PR2');
    expect(other.items.map((r) => r.name)).toEqual(['Agate']);
    expect(other.total).toBe(1);
  });

  it('a PreparedQuery refuses a build that does not bind an argument as a value', async () => {
    const branching = new PreparedQuery((d, a: { id: string }) => d.selectFrom('revisioned').selectAll().where('id', '=', `RL${String(a.id)}`));
    await expect(branching.execute(db, { id: '1' })).rejects.toThrow(/id did not become parameters/);
  });
});
