import { RenderAdmission } from './render-admission';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('RenderAdmission', () => {
  it('runs at most maxInFlight at once, queues up to maxQueue in order, and refuses the rest', async () => {
    const admission = new RenderAdmission(2, 1);
    const gates = [deferred(), deferred(), deferred()];
    const order: number[] = [];
    const runs = gates.map((g, i) => admission.run(async () => {
      order.push(i);
      await g.promise;
      return i;
    }));
    await Promise.resolve();
    expect(admission.inFlight).toBe(2);
    expect(admission.queued).toBe(1);
    await expect(admission.run(() => Promise.resolve(99))).rejects.toMatchObject({ code: 'IMG_OVERLOADED', errorClass: 4 });
    expect(order).toEqual([0, 1]);
    gates[0]?.resolve();
    await runs[0];
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([0, 1, 2]);
    gates[1]?.resolve();
    gates[2]?.resolve();
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2]);
    expect(admission.inFlight).toBe(0);
    expect(admission.queued).toBe(0);
  });

  it('frees the slot when the work fails', async () => {
    const admission = new RenderAdmission(1, 0);
    await expect(admission.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(admission.run(() => Promise.resolve('ok'))).resolves.toBe('ok');
  });
});
