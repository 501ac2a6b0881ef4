import { ReactorError } from '@openexp/errors';
import type { Right } from '../auth/rights';

/** Library state machine (§2.5): action → allowed from, new state, right, whether a succeeded build is needed. */
export const TRANSITIONS: Record<string, { from: readonly string[]; to: string; right: Right; needsBuild: boolean }> = {
  submit: { from: ['development'], to: 'submitted', right: 'develop', needsBuild: true },
  approve: { from: ['development', 'submitted'], to: 'approved', right: 'approve', needsBuild: true },
  reject: { from: ['submitted', 'approved'], to: 'rejected', right: 'approve', needsBuild: false },
  develop: { from: ['rejected'], to: 'development', right: 'develop', needsBuild: false },
};

/** The stage of environment a library in each state can use (published libraries build nowhere). */
export const STAGE_FOR_STATE: Record<string, string> = { development: 'development', rejected: 'development', submitted: 'staging', approved: 'production' };

/** The transition `action` from `state`, or `invalid-action` (422) with a sentence saying why. */
export function transitionFor(state: string, action: string): (typeof TRANSITIONS)[string] {
  // Own actions only: `constructor` or `toString` would find Object.prototype's members (a 500).
  const transition = Object.hasOwn(TRANSITIONS, action) ? TRANSITIONS[action] : undefined;
  if (transition === undefined) {
    throw new ReactorError('invalid-action', `Unknown library action "${action}"; use develop, submit, approve or reject.`, { pointer: '/data/meta/action' });
  }
  if (!transition.from.includes(state)) {
    throw new ReactorError('invalid-action', `A ${state} library cannot ${action}; allowed from ${transition.from.join(' or ')}.`, { pointer: '/data/meta/action' });
  }
  return transition;
}
