import { Links } from '../jsonapi/document';
import { newTestService, TEST_TX } from '../test/new-test-service';
import { AuditRepository } from './audit.repository';
import { AuditService, type RecordedAuditEvent } from './audit.service';

const links = new Links('https://reactor.test');

function setup() {
  const { sut, mocks } = newTestService(AuditService, { 0: links });
  const events = mocks.get(AuditRepository);
  events.insert.mockResolvedValue(undefined);
  return { sut, events };
}

const change = { companyId: 'CO1', propertyId: 'PR1', entityType: 'hosts', singular: 'host', action: 'updated', view: { id: 'HT1', name: 'Edge' } } as const;

describe('AuditService', () => {
  it('records the entity as its registered presenter shows it, named after its name attribute', async () => {
    const { sut, events } = setup();
    sut.register<{ id: string; name: string }>('hosts', (view) => ({ id: view.id, type: 'hosts', attributes: { name: view.name }, relationships: {}, links: {}, meta: {} }));
    await sut.record(TEST_TX, change);
    const [db, row] = events.insert.mock.calls[0] ?? [];
    expect(db).toBe(TEST_TX);
    expect(row).toMatchObject({ company_id: 'CO1', property_id: 'PR1', type_of: 'host.updated', entity_type: 'hosts', entity_id: 'HT1', display_name: 'Edge' });
    expect(JSON.parse(row?.entity ?? '')).toEqual({ data: { id: 'HT1', type: 'hosts', attributes: { name: 'Edge' }, relationships: {}, links: {}, meta: {} } });
    expect(row?.id).toMatch(/^AE[0-9a-f]{32}$/);
  });

  it('records an entity type nobody registered with no document, named by its id', async () => {
    const { sut, events } = setup();
    await sut.record(TEST_TX, change);
    expect(events.insert.mock.calls[0]?.[1]).toMatchObject({ entity: '{"data":null}', entity_id: 'unknown', display_name: 'unknown' });
  });

  it('tells every listener of the event, in the recording transaction, after the event is written', async () => {
    const { sut, events } = setup();
    const heard: Array<[unknown, RecordedAuditEvent, number]> = [];
    sut.listen((db, event) => {
      heard.push([db, event, events.insert.mock.calls.length]);
      return Promise.resolve();
    });
    sut.listen(() => Promise.resolve());
    await sut.record(TEST_TX, { ...change, propertyId: null, singular: 'property', action: 'deleted' });
    const written = events.insert.mock.calls[0]?.[1];
    expect(heard).toEqual([[TEST_TX, { auditEventId: written?.id, propertyId: null, typeOf: 'property.deleted' }, 1]]);
  });

  it('fails the change when a listener fails (its writes must commit with the event)', async () => {
    const { sut } = setup();
    sut.listen(() => Promise.reject(new Error('outbox down')));
    await expect(sut.record(TEST_TX, change)).rejects.toThrow('outbox down');
  });
});
