import { aggregateStatus, ReactorError, ReactorErrors } from './reactor-error';

describe('ReactorError', () => {
  it('derives status and title from the catalogue', () => {
    const err = new ReactorError('not-found', 'No property PR1 exists.');
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'ReactorError', code: 'not-found', status: 404, title: 'Record Not Found' });
    expect(err.message).toBe('not-found: No property PR1 exists.');
    expect(err.pointer).toBeUndefined();
    expect(err.meta).toBeUndefined();
  });

  it('keeps pointer, meta and cause', () => {
    const cause = new Error('db down');
    const err = new ReactorError('validation-error', 'name is required.', {
      pointer: '/data/attributes/name',
      meta: { field: 'name' },
      cause,
    });
    expect(err.pointer).toBe('/data/attributes/name');
    expect(err.meta).toEqual({ field: 'name' });
    expect(err.cause).toBe(cause);
    expect(err.status).toBe(422);
  });
});

describe('aggregateStatus', () => {
  it.each([
    [[422], 422],
    [[422, 422, 422], 422],
    [[404, 422], 400],
    [[401, 403], 400],
    [[422, 500], 500],
    [[502, 504], 500],
    [[500, 500], 500],
    [[], 500],
  ])('%j -> %d', (statuses, expected) => {
    expect(aggregateStatus(statuses)).toBe(expected);
  });
});

describe('ReactorErrors', () => {
  const name = new ReactorError('validation-error', 'name is required.', { pointer: '/data/attributes/name' });
  const stage = new ReactorError('validation-error', 'stage must be one of development, staging, production.');
  const missing = new ReactorError('not-found', 'No host HT1 exists.');

  it('keeps the errors in order and answers their common status', () => {
    const errs = new ReactorErrors([name, stage]);
    expect(errs.errors).toEqual([name, stage]);
    expect(errs.status).toBe(422);
    expect(errs.message).toBe('validation-error: name is required.; validation-error: stage must be one of development, staging, production.');
  });

  it('answers 400 for mixed client errors', () => {
    expect(new ReactorErrors([name, missing]).status).toBe(400);
  });

  it('throwIfAny throws nothing, the single error, or an aggregate', () => {
    expect(() => ReactorErrors.throwIfAny([])).not.toThrow();
    expect(() => ReactorErrors.throwIfAny([missing])).toThrow(missing);
    try {
      ReactorErrors.throwIfAny([name, stage]);
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(ReactorErrors);
      expect((e as ReactorErrors).errors).toHaveLength(2);
    }
  });
});
