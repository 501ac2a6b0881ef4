import { Subject } from 'rxjs';
import { catchUpAfterReconnect } from './broadcast-catch-up';

describe('catch-up after the broadcast subscription comes back', () => {
  it('catches up once per recovery, never on the first connection', async () => {
    const status = new Subject<string>();
    let catchUps = 0;
    const subscription = catchUpAfterReconnect(status, () => Promise.resolve(catchUps++), () => undefined);
    status.next('connected');
    status.next('connected');
    expect(catchUps).toBe(0);
    status.next('reconnecting');
    status.next('reconnecting');
    status.next('connected');
    status.next('connected');
    expect(catchUps).toBe(1);
    status.next('disconnected');
    status.next('connected');
    expect(catchUps).toBe(2);
    subscription.unsubscribe();
    await Promise.resolve();
  });

  it('reports a failed catch-up', async () => {
    const status = new Subject<string>();
    const errors: unknown[] = [];
    catchUpAfterReconnect(status, () => Promise.reject(new Error('disk')), (e) => errors.push(e));
    status.next('reconnecting');
    status.next('connected');
    await new Promise((r) => setImmediate(r));
    expect(errors).toHaveLength(1);
  });
});
