import { ReactorError } from '@openexp/errors';
import { STAGE_FOR_STATE, transitionFor } from './library-state';

describe('library state machine', () => {
  it.each([
    ['development', 'submit', 'submitted', 'develop'],
    ['development', 'approve', 'approved', 'approve'],
    ['submitted', 'approve', 'approved', 'approve'],
    ['submitted', 'reject', 'rejected', 'approve'],
    ['approved', 'reject', 'rejected', 'approve'],
    ['rejected', 'develop', 'development', 'develop'],
  ])('%s --%s--> %s (right %s)', (from, action, to, right) => {
    expect(transitionFor(from, action)).toMatchObject({ to, right });
  });

  it.each([
    ['submitted', 'submit'],
    ['published', 'reject'],
    ['published', 'develop'],
    ['development', 'develop'],
    ['approved', 'submit'],
    ['development', 'publish'],
  ])('refuses %s --%s--> with invalid-action at /data/meta/action', (from, action) => {
    let thrown: unknown;
    try {
      transitionFor(from, action);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ReactorError);
    expect(thrown).toMatchObject({ code: 'invalid-action', pointer: '/data/meta/action' });
  });

  it('only submit and approve need a succeeded build', () => {
    expect(['submit', 'approve', 'reject', 'develop'].filter((a) => transitionFor(a === 'develop' ? 'rejected' : a === 'reject' ? 'submitted' : 'development', a).needsBuild)).toEqual(['submit', 'approve']);
  });

  it('maps states to the environment stage they build on', () => {
    expect(STAGE_FOR_STATE).toEqual({ development: 'development', rejected: 'development', submitted: 'staging', approved: 'production' });
    expect(STAGE_FOR_STATE['published']).toBeUndefined();
  });
});
