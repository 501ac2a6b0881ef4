import { ReactorError } from '@openexp/errors';
import {
  assertBuildable,
  assertEditable,
  assertEnvironmentAssigned,
  assertRepublishable,
  assertTransitionReady,
  buildOutcome,
  buildRightFor,
  stageFor,
  transitionChanges,
  transitionFor,
  upstreamStates,
  type BuildFacts,
  type LibraryState,
} from './library-lifecycle';

const STATES: LibraryState[] = ['development', 'submitted', 'approved', 'rejected', 'published'];
const ACTIONS = ['submit', 'approve', 'reject', 'develop', 'publish', 'constructor', 'toString', ''];

/** §2.5's state machine, written out: every allowed requested move, with the right it takes. */
const ALLOWED: ReadonlyMap<string, { to: LibraryState; right: string; needsBuild: boolean }> = new Map(Object.entries({
  'development submit': { to: 'submitted', right: 'develop', needsBuild: true },
  'development approve': { to: 'approved', right: 'approve', needsBuild: true },
  'submitted approve': { to: 'approved', right: 'approve', needsBuild: true },
  'submitted reject': { to: 'rejected', right: 'approve', needsBuild: false },
  'approved reject': { to: 'rejected', right: 'approve', needsBuild: false },
  'rejected develop': { to: 'development', right: 'develop', needsBuild: false },
} as const));

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

const NOW = new Date('2026-01-02T03:04:05Z');

describe('library lifecycle: requested transitions', () => {
  const pairs = STATES.flatMap((state) => ACTIONS.map((action) => [state, action] as const));

  it.each(pairs.filter(([s, a]) => ALLOWED.has(`${s} ${a}`)))('%s --%s--> allowed', (state, action) => {
    expect(transitionFor(state, action)).toMatchObject({ action, by: 'request', ...ALLOWED.get(`${state} ${action}`) });
  });

  it.each(pairs.filter(([s, a]) => !ALLOWED.has(`${s} ${a}`)))('%s --%s--> refused with invalid-action at /data/meta/action', (state, action) => {
    const error = thrown(() => transitionFor(state, action));
    expect(error).toBeInstanceOf(ReactorError);
    expect(error).toMatchObject({ code: 'invalid-action', pointer: '/data/meta/action' });
  });

  it('says which states an action is allowed from, and which actions exist', () => {
    expect(thrown(() => transitionFor('approved', 'submit'))).toMatchObject({ detail: 'A approved library cannot submit; allowed from development.' });
    expect(thrown(() => transitionFor('published', 'approve'))).toMatchObject({ detail: 'A published library cannot approve; allowed from development or submitted.' });
    expect(thrown(() => transitionFor('approved', 'publish'))).toMatchObject({ detail: 'Unknown library action "publish"; use develop, submit, approve or reject.' });
  });

  const allowedMoves = [...ALLOWED].map(([pair, { to }]) => {
    const [state = '', action = ''] = pair.split(' ');
    return [state, action, to] as const;
  });

  it.each(allowedMoves)('%s --%s--> %s unassigns the environment, requires a build and keeps stale', (state, action, to) => {
    expect(transitionChanges(transitionFor(state, action), NOW)).toEqual({
      state: to,
      state_changed_at: NOW,
      updated_at: NOW,
      environment_id: null,
      build_required: true,
      build_required_detail: 'No build found since last state change',
    });
    expect(transitionFor(state, action).marks).toMatchObject({ upstreamChanged: true, publishesResources: false });
  });

  it.each([
    ['submit', 'succeeded', false, undefined],
    ['submit', 'succeeded', true, 'invalid-action'],
    ['submit', 'failed', false, 'invalid-action'],
    ['submit', 'pending', false, 'invalid-action'],
    ['submit', undefined, false, 'invalid-action'],
    ['approve', 'failed', false, 'invalid-action'],
    ['approve', 'succeeded', false, undefined],
    ['reject', undefined, true, undefined],
    ['develop', 'failed', true, undefined],
  ] as const)('%s with last build %s, build_required %s: %s', (action, lastBuildStatus, buildRequired, code) => {
    const from = action === 'develop' ? 'rejected' : action === 'reject' ? 'submitted' : 'development';
    const error = thrown(() => assertTransitionReady(transitionFor(from, action), 'LB1', { lastBuildStatus, buildRequired }));
    if (code === undefined) {
      expect(error).toBeUndefined();
    } else {
      expect(error).toMatchObject({ code, pointer: '/data/meta/action', detail: `Library LB1 needs a succeeded build of its current contents before it can ${action}.` });
    }
  });
});

describe('library lifecycle: build results', () => {
  const build = { id: 'BL1', stage: 'production' };

  it('a succeeded production build of an approved library publishes it and its resources', () => {
    const outcome = buildOutcome({ state: 'approved', last_build_id: 'BL1' }, build, 'succeeded', NOW);
    expect(outcome.transition).toMatchObject({ action: 'publish', to: 'published', marks: { publishesResources: true, upstreamChanged: true, unassignEnvironment: false } });
    expect(outcome.changes).toEqual({
      state: 'published',
      state_changed_at: NOW,
      updated_at: NOW,
      published_at: NOW,
      build_required: false,
      build_required_detail: null,
      stale: null,
    });
  });

  it.each([
    ['development', 'development'],
    ['rejected', 'development'],
    ['submitted', 'staging'],
    ['approved', 'staging'],
    ['submitted', 'production'],
  ])('a succeeded %s build on %s clears build_required and stale, no state change', (state, stage) => {
    const outcome = buildOutcome({ state, last_build_id: 'BL1' }, { id: 'BL1', stage }, 'succeeded', NOW);
    expect(outcome).toEqual({ transition: undefined, changes: { build_required: false, build_required_detail: null, stale: null, updated_at: NOW } });
  });

  it.each([
    ['failed', 'BL1'],
    ['pending', 'BL1'],
    ['succeeded', 'BL2'],
    ['succeeded', null],
  ])('a %s build that is the last build %s changes nothing', (status, lastBuildId) => {
    expect(buildOutcome({ state: 'approved', last_build_id: lastBuildId }, build, status, NOW)).toEqual({ transition: undefined, changes: undefined });
  });
});

describe('library lifecycle: states', () => {
  it('maps states to the environment stage they use and build on', () => {
    expect(Object.fromEntries(STATES.map((s) => [s, stageFor(s)]))).toEqual({
      development: 'development',
      submitted: 'staging',
      approved: 'production',
      rejected: 'development',
      published: undefined,
    });
    expect(stageFor('constructor')).toBeUndefined();
  });

  it('takes upstreams from the nearer states first; approved only from published', () => {
    expect(Object.fromEntries([...STATES, 'toString'].map((s) => [s, upstreamStates(s)]))).toEqual({
      development: ['submitted', 'approved', 'published'],
      rejected: ['submitted', 'approved', 'published'],
      submitted: ['approved', 'published'],
      approved: ['published'],
      published: [],
      toString: [],
    });
  });

  it.each(STATES)('%s: name and resources change only in development (read-only otherwise)', (state) => {
    const error = thrown(() => assertEditable({ id: 'LB1', state }));
    if (state === 'development') {
      expect(error).toBeUndefined();
    } else {
      expect(error).toMatchObject({ code: 'read-only', detail: `Library LB1 is ${state}; only development libraries change.` });
    }
  });
});

describe('library lifecycle: checks before a build', () => {
  const facts: BuildFacts & { host: { id: string; status: string } | undefined } = {
    library: { id: 'LB1', state: 'development' },
    environment: { id: 'EN1', stage: 'development' },
    host: { id: 'HT1', status: 'succeeded' },
    upstream: undefined,
  };

  it('needs an environment first', () => {
    expect(thrown(() => assertEnvironmentAssigned({ id: 'LB1', environment_id: null }))).toMatchObject({ code: 'environment-required' });
    expect(thrown(() => assertEnvironmentAssigned({ id: 'LB1', environment_id: 'EN1' }))).toBeUndefined();
  });

  it.each([
    ['development', 'develop'],
    ['staging', 'approve'],
    ['production', 'publish'],
    ['unknown', 'publish'],
    ['constructor', 'publish'],
  ])('a build for a %s environment takes the %s right', (stage, right) => {
    expect(buildRightFor(stage)).toBe(right);
  });

  it('returns the host when every check passes', () => {
    expect(assertBuildable(facts)).toBe(facts.host);
  });

  it.each(STATES.flatMap((state) => ['development', 'staging', 'production'].map((stage) => [state, stage] as const)))('a %s library on a %s environment', (state, stage) => {
    const error = thrown(() => assertBuildable({ ...facts, library: { id: 'LB1', state }, environment: { id: 'EN1', stage } }));
    if (stageFor(state) === stage) {
      expect(error).toBeUndefined();
    } else {
      expect(error).toMatchObject({ code: 'invalid-action', detail: `A ${state} library cannot be built for a ${stage} environment.` });
    }
  });

  it('refuses a missing or failed host', () => {
    expect(thrown(() => assertBuildable({ ...facts, host: undefined }))).toMatchObject({ code: 'host-required', detail: 'Environment EN1 has no usable host.' });
    expect(thrown(() => assertBuildable({ ...facts, host: { id: 'HT1', status: 'failed' } }))).toMatchObject({
      code: 'host-required',
      detail: 'Environment EN1 has no usable host (host HT1 failed its pretest).',
    });
    expect(assertBuildable({ ...facts, host: { id: 'HT1', status: 'pending' } })).toEqual({ id: 'HT1', status: 'pending' });
  });

  it.each([
    ['submitted', 'succeeded', undefined],
    ['submitted', 'failed', 'upstream-build-required'],
    ['approved', undefined, 'upstream-build-required'],
    ['approved', 'pending', 'upstream-build-required'],
    ['published', undefined, undefined],
  ])('an upstream %s library whose last build is %s: %s', (state, lastBuildStatus, code) => {
    const error = thrown(() => assertBuildable({ ...facts, upstream: { id: 'LB0', state, lastBuildStatus } }));
    if (code === undefined) {
      expect(error).toBeUndefined();
    } else {
      expect(error).toMatchObject({ code, detail: `Upstream library LB0 (${state}) has no succeeded build.` });
    }
  });

  it('reports the first refusal in the order of §4.1: stage, host, upstream', () => {
    const everythingWrong = { library: { id: 'LB1', state: 'published' }, environment: { id: 'EN1', stage: 'production' }, host: undefined, upstream: { id: 'LB0', state: 'approved', lastBuildStatus: 'failed' } };
    expect(thrown(() => assertBuildable(everythingWrong))).toMatchObject({ code: 'invalid-action' });
    expect(thrown(() => assertBuildable({ ...everythingWrong, library: { id: 'LB1', state: 'approved' } }))).toMatchObject({ code: 'host-required' });
    expect(thrown(() => assertBuildable({ ...everythingWrong, library: { id: 'LB1', state: 'approved' }, host: { id: 'HT1', status: 'succeeded' } }))).toMatchObject({
      code: 'upstream-build-required',
    });
  });
});

describe('library lifecycle: republish', () => {
  const ok = { build: { id: 'BL1', stage: 'production', archive: false }, environment: { hostTypeOf: 'akamai', archive: false }, recentBuildIds: ['BL2', 'BL1'] };

  it('allows one of the recent succeeded production builds on a managed, non-archive environment', () => {
    expect(thrown(() => assertRepublishable(ok))).toBeUndefined();
  });

  it.each([
    ['a staging build', { ...ok, build: { ...ok.build, stage: 'staging' } }],
    ['an SFTP environment', { ...ok, environment: { ...ok.environment, hostTypeOf: 'sftp' } }],
    ['an archive environment', { ...ok, environment: { ...ok.environment, archive: true } }],
    ['an archive build', { ...ok, build: { ...ok.build, archive: true } }],
    ['a build that is not recent', { ...ok, recentBuildIds: ['BL2', 'BL3'] }],
  ])('refuses %s with invalid-action', (_what, facts) => {
    expect(thrown(() => assertRepublishable(facts))).toMatchObject({ code: 'invalid-action', pointer: '/data/meta/action' });
  });
});
