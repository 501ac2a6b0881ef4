import { ReactorError } from '@openexp/errors';
import type { LibraryState } from '@openexp/queue-contracts';
import type { Updateable } from 'kysely';
import type { Right } from '../auth/rights';
import type { LibrariesTable } from '../database/schema';

/*
 * The library lifecycle (reactor-api.md §2.5, §2.6, §4.1, §4.6) in one table-driven, pure module:
 * the states and what each allows, the transitions (requested by `meta.action`, or made by a
 * succeeded production build), what each transition marks, the checks before a build, and which
 * builds can be republished. No database here: libraries, builds and results gather the facts,
 * ask this module, and write what it returns.
 */

export type { LibraryState };

/** Environment stages (§2.4). */
export type EnvironmentStage = 'development' | 'staging' | 'production';

/** What a library in a state may do. */
export interface StateRule {
  /** The stage of environment it is assigned to and builds on; `null`: none (published libraries build nowhere). */
  readonly stage: EnvironmentStage | null;
  /** The states its upstream library is taken from, nearest first (§2.5 "Upstream"). */
  readonly upstream: readonly LibraryState[];
  /** Whether its name and resources may change (otherwise `read-only`). */
  readonly editable: boolean;
}

/** Every state (§2.5 state machine, assignable environment stage by state, upstream). */
export const LIBRARY_STATES: Readonly<Record<LibraryState, StateRule>> = {
  development: { stage: 'development', upstream: ['submitted', 'approved', 'published'], editable: true },
  submitted: { stage: 'staging', upstream: ['approved', 'published'], editable: false },
  approved: { stage: 'production', upstream: ['published'], editable: false },
  rejected: { stage: 'development', upstream: ['submitted', 'approved', 'published'], editable: false },
  published: { stage: null, upstream: [], editable: false },
};

/** Actions a client requests with `PATCH /libraries/{id}` `meta.action`. */
export type RequestedAction = 'submit' | 'approve' | 'reject' | 'develop';

/** Every transition: the requested ones, and `publish`, made by a succeeded production build. */
export type LibraryAction = RequestedAction | 'publish';

/** What a transition changes besides `state` and `state_changed_at`. */
export interface TransitionMarks {
  /** The library gives up its environment (§2.5: submit/approve/reject unassign it). */
  readonly unassignEnvironment: boolean;
  /** `build_required_detail` after the transition, or `false` when no build is required any more. */
  readonly buildRequired: string | false;
  /** Sets `published_at`. */
  readonly publishedAt: boolean;
  /** The library's own revisions become `published` (§4.6). */
  readonly publishesResources: boolean;
  /** Clears `stale` (the transition comes with a succeeded build of the current contents). */
  readonly clearsStale: boolean;
  /**
   * Other libraries whose upstream is now a different library get `stale: upstream_changed`
   * (every state change can move an upstream: §2.5 picks upstreams by state).
   */
  readonly upstreamChanged: boolean;
}

/** One allowed transition. */
export interface Transition {
  readonly action: LibraryAction;
  readonly from: readonly LibraryState[];
  readonly to: LibraryState;
  /** `request`: a `meta.action`; `build`: applied with the result of a succeeded build. */
  readonly by: 'request' | 'build';
  /** The right it takes; for `publish`, checked when the production build is created (§4.1). */
  readonly right: Right;
  /** Needs the library's last build to have succeeded, with no build required since (§2.5 preconditions). */
  readonly needsBuild: boolean;
  /** For `by: 'build'`: the stage the build must be on. */
  readonly buildStage?: EnvironmentStage;
  readonly marks: TransitionMarks;
}

/** The detail shown as `meta.build_required_detail` after a requested state change. */
export const BUILD_REQUIRED_AFTER_STATE_CHANGE = 'No build found since last state change';

const REQUESTED: TransitionMarks = {
  unassignEnvironment: true,
  buildRequired: BUILD_REQUIRED_AFTER_STATE_CHANGE,
  publishedAt: false,
  publishesResources: false,
  clearsStale: false,
  upstreamChanged: true,
};

/** The state machine of §2.5, every allowed transition. */
export const TRANSITIONS: Readonly<Record<LibraryAction, Transition>> = {
  submit: { action: 'submit', from: ['development'], to: 'submitted', by: 'request', right: 'develop', needsBuild: true, marks: REQUESTED },
  // Skips staging (needs the approve right).
  approve: { action: 'approve', from: ['development', 'submitted'], to: 'approved', by: 'request', right: 'approve', needsBuild: true, marks: REQUESTED },
  reject: { action: 'reject', from: ['submitted', 'approved'], to: 'rejected', by: 'request', right: 'approve', needsBuild: false, marks: REQUESTED },
  develop: { action: 'develop', from: ['rejected'], to: 'development', by: 'request', right: 'develop', needsBuild: false, marks: REQUESTED },
  publish: {
    action: 'publish',
    from: ['approved'],
    to: 'published',
    by: 'build',
    right: 'publish',
    needsBuild: true,
    buildStage: 'production',
    // A published library keeps its environment until another library claims it (libraries.service claim()).
    marks: { unassignEnvironment: false, buildRequired: false, publishedAt: true, publishesResources: true, clearsStale: true, upstreamChanged: true },
  },
};

/** The rule of `state`, or undefined for a value that is not a library state. */
export function stateRule(state: string): StateRule | undefined {
  return Object.hasOwn(LIBRARY_STATES, state) ? LIBRARY_STATES[state as LibraryState] : undefined;
}

/** The environment stage a library in `state` uses, or undefined when it uses none. */
export function stageFor(state: string): EnvironmentStage | undefined {
  return stateRule(state)?.stage ?? undefined;
}

/** The states `state`'s upstream is taken from, nearest first (none for published or unknown states). */
export function upstreamStates(state: string): readonly LibraryState[] {
  return stateRule(state)?.upstream ?? [];
}

/** Throws `read-only` unless a library in this state may change its name and resources. */
export function assertEditable(library: { id: string; state: string }): void {
  if (stateRule(library.state)?.editable !== true) {
    throw new ReactorError('read-only', `Library ${library.id} is ${library.state}; only development libraries change.`);
  }
}

/** The requested transition `action` from `state`, or `invalid-action` (422) with a sentence saying why. */
export function transitionFor(state: string, action: string): Transition {
  // Own, requested actions only: `constructor` would find Object.prototype's members (a 500), `publish` is made by builds.
  const transition = Object.hasOwn(TRANSITIONS, action) ? TRANSITIONS[action as LibraryAction] : undefined;
  if (transition?.by !== 'request') {
    throw new ReactorError('invalid-action', `Unknown library action "${action}"; use develop, submit, approve or reject.`, {
      pointer: '/data/meta/action',
    });
  }
  if (!(transition.from as readonly string[]).includes(state)) {
    throw new ReactorError('invalid-action', `A ${state} library cannot ${action}; allowed from ${transition.from.join(' or ')}.`, { pointer: '/data/meta/action' });
  }
  return transition;
}

/** The library's build facts a transition's precondition reads. */
export interface BuildReadiness {
  /** Status of the library's last build; undefined when it has none. */
  lastBuildStatus: string | undefined;
  buildRequired: boolean;
}

/** Throws `invalid-action` when the transition needs a succeeded build of the current contents and there is none. */
export function assertTransitionReady(transition: Transition, libraryId: string, readiness: BuildReadiness): void {
  if (transition.needsBuild && (readiness.lastBuildStatus !== 'succeeded' || readiness.buildRequired)) {
    throw new ReactorError('invalid-action', `Library ${libraryId} needs a succeeded build of its current contents before it can ${transition.action}.`, {
      pointer: '/data/meta/action',
    });
  }
}

/** The library columns a transition writes (state, time stamps and its marks). */
export function transitionChanges(transition: Transition, now: Date): Updateable<LibrariesTable> {
  const { marks } = transition;
  return {
    state: transition.to,
    state_changed_at: now,
    updated_at: now,
    ...(marks.unassignEnvironment ? { environment_id: null } : {}),
    ...(marks.buildRequired === false ? { build_required: false, build_required_detail: null } : { build_required: true, build_required_detail: marks.buildRequired }),
    ...(marks.clearsStale ? { stale: null } : {}),
    ...(marks.publishedAt ? { published_at: now } : {}),
  };
}

/** What a build result does to its library (§4.6). */
export interface BuildOutcome {
  /** The transition the build makes (`publish`), if any. */
  transition: Transition | undefined;
  /** The library columns to write; undefined: the library does not change. */
  changes: Updateable<LibrariesTable> | undefined;
}

/**
 * A build's result applied to its library: only a succeeded build that is still the library's
 * last build changes it: no build is required any more and `stale` clears; a production build
 * of an approved library also publishes it.
 */
export function buildOutcome(library: { state: string; last_build_id: string | null }, build: { id: string; stage: string }, status: string, now: Date): BuildOutcome {
  if (status !== 'succeeded' || library.last_build_id !== build.id) {
    return { transition: undefined, changes: undefined };
  }
  const transition = Object.values(TRANSITIONS).find((t) => t.by === 'build' && t.buildStage === build.stage && (t.from as readonly string[]).includes(library.state));
  if (transition !== undefined) {
    return { transition, changes: transitionChanges(transition, now) };
  }
  return { transition: undefined, changes: { build_required: false, build_required_detail: null, stale: null, updated_at: now } };
}

/** The right a build for an environment of `stage` takes (§4.1); an unknown stage takes the highest. */
export function buildRightFor(stage: string): Right {
  const rights: Record<EnvironmentStage, Right> = { development: 'develop', staging: 'approve', production: 'publish' };
  return Object.hasOwn(rights, stage) ? rights[stage as EnvironmentStage] : 'publish';
}

/** Throws `environment-required` when the library has no environment to build on (the first check of §4.1). */
export function assertEnvironmentAssigned(library: { id: string; environment_id: string | null }): asserts library is { id: string; environment_id: string } {
  if (library.environment_id === null) {
    throw new ReactorError('environment-required', `Library ${library.id} has no environment; assign one before building.`);
  }
}

/** What the checks before a build read, gathered by the builds service. */
export interface BuildFacts {
  library: { id: string; state: string };
  environment: { id: string; stage: string };
  /** The environment's host; undefined when it no longer exists. */
  host: { id: string; status: string } | undefined;
  /** The library's upstream and the status of its last build (undefined: no build). */
  upstream: { id: string; state: string; lastBuildStatus: string | undefined } | undefined;
}

/** One check before a build: the error it raises and, when it refuses, the sentence why. */
export interface PreBuildCheck {
  readonly code: 'invalid-action' | 'host-required' | 'upstream-build-required';
  readonly refusal: (facts: BuildFacts) => string | undefined;
}

/**
 * The checks of §4.1 after the environment is assigned and the right is held, in the order
 * they are reported. (`upgraded-extension-required` needs the resolved contents and runs in the
 * build's transaction: `upgraded-extension-check.ts`.)
 */
export const PRE_BUILD_CHECKS: readonly PreBuildCheck[] = [
  {
    code: 'invalid-action',
    refusal: ({ library, environment }) =>
      stageFor(library.state) === environment.stage ? undefined : `A ${library.state} library cannot be built for a ${environment.stage} environment.`,
  },
  {
    code: 'host-required',
    refusal: ({ environment, host }) =>
      host !== undefined && host.status !== 'failed'
        ? undefined
        : `Environment ${environment.id} has no usable host${host === undefined ? '' : ` (host ${host.id} failed its pretest)`}.`,
  },
  {
    code: 'upstream-build-required',
    // A published upstream was built when it was published.
    refusal: ({ upstream }) =>
      upstream === undefined || upstream.state === 'published' || upstream.lastBuildStatus === 'succeeded'
        ? undefined
        : `Upstream library ${upstream.id} (${upstream.state}) has no succeeded build.`,
  },
];

/** Throws the first refusal of {@link PRE_BUILD_CHECKS}; otherwise returns the (usable) host. */
export function assertBuildable<H extends { id: string; status: string }>(facts: BuildFacts & { host: H | undefined }): H {
  for (const check of PRE_BUILD_CHECKS) {
    const refusal = check.refusal(facts);
    if (refusal !== undefined) {
      throw new ReactorError(check.code, refusal);
    }
  }
  if (facts.host === undefined) {
    throw new Error('PRE_BUILD_CHECKS must refuse a build without a host');
  }
  return facts.host;
}

/** How many of an environment's latest succeeded production builds can be republished (§2.6). */
export const REPUBLISHABLE_RECENT_BUILDS = 5;

/** The right republishing takes (§2.6). */
export const REPUBLISH_RIGHT: Right = 'publish';

/** What the republish check reads. */
export interface RepublishFacts {
  build: { id: string; stage: string; archive: boolean };
  environment: { hostTypeOf: string; archive: boolean };
  /** Ids of the environment's {@link REPUBLISHABLE_RECENT_BUILDS} latest succeeded production builds. */
  recentBuildIds: readonly string[];
}

/** Throws `invalid-action` unless the build is one of the latest succeeded production builds on a managed, non-archive environment. */
export function assertRepublishable({ build, environment, recentBuildIds }: RepublishFacts): void {
  if (build.stage !== 'production' || environment.hostTypeOf !== 'akamai' || environment.archive || build.archive || !recentBuildIds.includes(build.id)) {
    throw new ReactorError('invalid-action', 'Only one of the five most recent succeeded production builds on a managed, non-archive environment can be republished.', {
      pointer: '/data/meta/action',
    });
  }
}
