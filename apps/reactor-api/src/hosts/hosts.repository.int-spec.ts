import { toStatusDetails } from '@openexp/errors';
import { randomUUID } from 'node:crypto';
import { openDatabase, type Db } from '../database/database';
import type { HostRow } from '../database/schema';
import { parseListQuery } from '../jsonapi/list-query';
import { HOST_COLUMNS } from './hosts.dto';
import { HostsRepository } from './hosts.repository';

// On PGlite, or on PostgreSQL with TEST_DATABASE_URL.
const url = process.env['TEST_DATABASE_URL'];
const T0 = new Date(Date.UTC(2024, 0, 1));

describe('HostsRepository', () => {
  const schema = `t_${randomUUID().replace(/-/g, '')}`;
  let db: Db;
  let hosts: HostsRepository;

  const sftp = (id: string, name: string): Promise<HostRow> =>
    hosts.insert(db, {
      id, property_id: 'PR1', name, type_of: 'sftp', server: 'sftp.test', path: '/www', port: 22, username: 'deploy',
      encrypted_private_key: null, skip_symlinks: false, status: 'pending', status_details: null, revision: 1, created_at: T0, updated_at: T0,
    });

  beforeAll(async () => {
    db = await openDatabase({ url, dataDir: null, schema });
    hosts = new HostsRepository(db);
    await db.insertInto('companies').values({ id: 'CO1', name: 'c', org_id: `${schema}@AdobeOrg`, token: schema.slice(0, 12), created_at: T0, updated_at: T0 }).execute();
    await db
      .insertInto('properties')
      .values({
        id: 'PR1', company_id: 'CO1', name: 'p', platform: 'web', domains: '["example.com"]', development: false, privacy: 'optin',
        rule_component_sequencing_enabled: false, ssl_enabled: true, undefined_vars_return_empty: false, enabled: true, token: schema.slice(2, 14), created_at: T0, updated_at: T0,
      })
      .execute();
    await sftp('HT1', 'Origin');
    await sftp('HT2', 'Backup');
  });

  afterAll(async () => {
    await db.destroy();
  });

  it('lists the hosts of a property, filtered and sorted by the parsed query', async () => {
    const page = await hosts.listInProperty('PR1', parseListQuery({ sort: '-name', 'filter[type_of]': 'EQ sftp' }, HOST_COLUMNS));
    expect(page.items.map((h) => h.name)).toEqual(['Origin', 'Backup']);
    expect(page.total).toBe(2);
    expect((await hosts.listInProperty('PR9', parseListQuery({}, HOST_COLUMNS))).total).toBe(0);
  });

  it('marks only the revision it names failed, with the status details as written by statusDetailsColumn', async () => {
    const details = toStatusDetails([{ code: 'internal-error', detail: 'queue down' }]);
    await hosts.markFailed('HT1', 2, details);
    expect((await hosts.findById('HT1'))?.status).toBe('pending');
    await hosts.markFailed('HT1', 1, details);
    expect(await hosts.findById('HT1')).toMatchObject({ status: 'failed', status_details: details });
  });

  it('reads a host with its company, and applies a pretest result under the row lock', async () => {
    expect(await hosts.findWithCompany('HT2')).toMatchObject({ id: 'HT2', company_id: 'CO1' });
    expect(await hosts.findWithCompany('HT9')).toBeUndefined();
    await db.transaction().execute(async (tx) => {
      expect((await hosts.findForUpdate(tx, 'HT2'))?.revision).toBe(1);
      await hosts.setPretestResult(tx, 'HT2', 'succeeded', null);
    });
    expect(await hosts.findById('HT2')).toMatchObject({ status: 'succeeded', status_details: null });
  });

  it('names the environments that use a host, and deletes a host no environment uses', async () => {
    await db
      .insertInto('environments')
      .values({ id: 'EN1', property_id: 'PR1', host_id: 'HT2', name: 'dev', stage: 'development', archive: false, archive_passphrase: null, path: null, include_debug_library: false, token: 'ENtoken', created_at: T0, updated_at: T0 })
      .execute();
    expect(await hosts.environmentIdsUsing(db, 'HT2')).toEqual(['EN1']);
    expect(await hosts.environmentIdsUsing(db, 'HT1')).toEqual([]);
    await hosts.delete(db, 'HT1');
    expect(await hosts.findById('HT1')).toBeUndefined();
  });

  it('updates a host and returns the new row', async () => {
    const row = await hosts.update(db, 'HT2', { name: 'Renamed', revision: 2, updated_at: new Date() });
    expect(row).toMatchObject({ id: 'HT2', name: 'Renamed', revision: 2 });
  });
});
