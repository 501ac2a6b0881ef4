import { AuditService, type AuditListener } from '../audit/audit.service';
import { newTestService, TEST_TX } from '../test/new-test-service';
import { CallbackDeliveriesRepository } from './callback-deliveries.repository';
import { CallbackDispatcher } from './callback-dispatcher';
import { CallbackOutbox } from './callback-outbox';

function setup(written: number) {
  const { sut, mocks } = newTestService(CallbackOutbox);
  const listeners: AuditListener[] = [];
  mocks.get(AuditService).listen.mockImplementation((listener) => {
    listeners.push(listener);
  });
  mocks.get(CallbackDeliveriesRepository).insertForSubscribers.mockResolvedValue(written);
  mocks.get(CallbackDispatcher).nudge.mockReturnValue(undefined);
  sut.onModuleInit();
  return { listeners, deliveries: mocks.get(CallbackDeliveriesRepository), dispatcher: mocks.get(CallbackDispatcher) };
}

describe('CallbackOutbox', () => {
  it("listens to the audit trail and writes the event's deliveries in the recording transaction", async () => {
    const { listeners, deliveries, dispatcher } = setup(2);
    expect(listeners).toHaveLength(1);
    await listeners[0]?.(TEST_TX, { auditEventId: 'AE1', propertyId: 'PR1', typeOf: 'rule.created' });
    expect(deliveries.insertForSubscribers).toHaveBeenCalledWith(TEST_TX, { auditEventId: 'AE1', propertyId: 'PR1', typeOf: 'rule.created' });
    expect(dispatcher.nudge).toHaveBeenCalledTimes(1);
  });

  it('does not wake the dispatcher when no callback is subscribed', async () => {
    const { listeners, dispatcher } = setup(0);
    await listeners[0]?.(TEST_TX, { auditEventId: 'AE1', propertyId: 'PR1', typeOf: 'rule.created' });
    expect(dispatcher.nudge).not.toHaveBeenCalled();
  });

  it('announces nothing for an event outside any property (a deleted property)', async () => {
    const { listeners, deliveries } = setup(1);
    await listeners[0]?.(TEST_TX, { auditEventId: 'AE1', propertyId: null, typeOf: 'property.deleted' });
    expect(deliveries.insertForSubscribers).not.toHaveBeenCalled();
  });
});
