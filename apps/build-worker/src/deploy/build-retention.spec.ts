import { keepFor, planRetention, type RetentionInput } from './build-retention';
import type { StoredBuild } from './current-marker';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const build = (n: number): StoredBuild => ({ id: `BL${n}`, token: `tok${n}`, createdAt: new Date(Date.parse('2026-03-01T00:00:00.000Z') + n * 60_000).toISOString() });
const input = (overrides: Partial<RetentionInput> & Pick<RetentionInput, 'state'>): RetentionInput => ({
  keep: 2,
  present: new Set(overrides.state.builds.map((b) => b.token)),
  unregistered: [],
  now: NOW,
  unregisteredGraceMs: HOUR,
  ...overrides,
});
const currentOf = (b: StoredBuild, republishedAt?: string) => ({ buildId: b.id, createdAt: b.createdAt, ...(republishedAt ? { republishedAt } : {}) });

describe('planRetention', () => {
  it('keeps the newest `keep` directories by build creation, whatever order they were registered in', () => {
    const builds = [build(3), build(1), build(4), build(2)];
    const plan = planRetention(input({ state: { current: currentOf(build(4)), builds } }));
    expect(plan.remove.sort()).toEqual(['tok1', 'tok2']);
    expect(plan.builds.map((b) => b.id)).toEqual(['BL4', 'BL3']);
  });

  it('never removes the current directory, even an old one made current by a republish', () => {
    const builds = [1, 2, 3, 4].map(build);
    const plan = planRetention(input({ state: { current: currentOf(build(1), '2026-03-01T11:00:00.000Z'), builds } }));
    expect(plan.remove).toEqual(['tok2']);
    expect(plan.builds.map((b) => b.id)).toEqual(['BL4', 'BL3', 'BL1']);
  });

  it('removes nothing more when run again (idempotent)', () => {
    const state = { current: currentOf(build(4)), builds: [1, 2, 3, 4].map(build) };
    const first = planRetention(input({ state }));
    const again = planRetention(input({ state: { ...state, builds: first.builds }, present: new Set(first.builds.map((b) => b.token)) }));
    expect(again).toEqual({ remove: [], builds: first.builds });
  });

  it('keeps every directory with keep 0, and at least five in production', () => {
    const state = { current: currentOf(build(7)), builds: [1, 2, 3, 4, 5, 6, 7].map(build) };
    expect(planRetention(input({ keep: 0, state })).remove).toEqual([]);
    expect(keepFor(0, true)).toBe(0);
    expect(keepFor(2, true)).toBe(5);
    expect(keepFor(8, true)).toBe(8);
    expect(keepFor(2, false)).toBe(2);
    expect(planRetention(input({ keep: keepFor(2, true), state })).remove.sort()).toEqual(['tok1', 'tok2']);
  });

  it('drops register entries whose directory is gone, except the current one', () => {
    const builds = [1, 2, 3].map(build);
    const plan = planRetention(input({ keep: 5, state: { current: currentOf(build(3)), builds }, present: new Set(['tok1']) }));
    expect(plan).toEqual({ remove: [], builds: [build(3), build(1)] });
  });

  it('removes unregistered directories of the environment once settled, as older than every registered one', () => {
    const plan = planRetention(
      input({
        keep: 3,
        state: { current: currentOf(build(5)), builds: [build(5), build(4)] },
        present: new Set(['tok5', 'tok4', 'old1', 'old2', 'uploading']),
        unregistered: [
          { token: 'old1', modifiedAt: NOW - 3 * HOUR },
          { token: 'old2', modifiedAt: NOW - 2 * HOUR },
          { token: 'uploading', modifiedAt: NOW - 1000 },
        ],
      }),
    );
    // One slot left after the two registered: the newer settled one stays, a build still uploading is not touched.
    expect(plan.remove).toEqual(['old1']);
  });

  it('leaves unregistered directories alone while the current build is not in the register', () => {
    const plan = planRetention(
      input({
        keep: 1,
        state: { current: { buildId: 'BLlegacy', createdAt: '2026-01-01T00:00:00.000Z' }, builds: [build(2), build(1)] },
        present: new Set(['tok2', 'tok1', 'legacy']),
        unregistered: [{ token: 'legacy', modifiedAt: NOW - 10 * HOUR }],
      }),
    );
    expect(plan.remove).toEqual(['tok1']);
  });
});
