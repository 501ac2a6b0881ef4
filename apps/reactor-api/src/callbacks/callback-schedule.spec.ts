import { CALLBACK_BACKOFF, callbackBackoff, DELIVERY_ATTEMPTS, deliveryJobOptions } from './callback-schedule';

describe('callback retry schedule', () => {
  it('retries after 1m, 5m, 30m, 1h, 12h, 1d, 3d, each relative to the previous attempt, then stops', () => {
    const delays = Array.from({ length: DELIVERY_ATTEMPTS }, (_, i) => callbackBackoff(i + 1, CALLBACK_BACKOFF));
    expect(delays).toEqual([60_000, 300_000, 1_800_000, 3_600_000, 43_200_000, 86_400_000, 259_200_000, -1]);
    expect(DELIVERY_ATTEMPTS).toBe(8);
  });

  it('jobs carry the schedule and the outbox id', () => {
    expect(deliveryJobOptions('AE1-CB1')).toMatchObject({ jobId: 'AE1-CB1', attempts: 8, backoff: { type: CALLBACK_BACKOFF } });
  });

  it('does not invent delays for other backoff types', () => {
    expect(callbackBackoff(1, 'exponential')).toBe(-1);
  });
});
