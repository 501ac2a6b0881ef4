import { StatementNames } from './named-statements';

describe('StatementNames', () => {
  it('names a text the second time it is seen, and keeps that name', () => {
    const names = new StatementNames();
    expect(names.nameFor('select 1')).toBeUndefined();
    const name = names.nameFor('select 1');
    expect(name).toMatch(/^openexp_\d+$/);
    expect(names.nameFor('select 1')).toBe(name);
    expect(names.nameFor('select 2')).toBeUndefined();
    expect(names.nameFor('select 2')).not.toBe(name);
  });

  it('names at most `max` texts; the others stay unnamed', () => {
    const names = new StatementNames(2);
    for (const text of ['a', 'a', 'b', 'b', 'c', 'c', 'c']) {
      names.nameFor(text);
    }
    expect(names.size).toBe(2);
    expect(names.nameFor('c')).toBeUndefined();
    expect(names.nameFor('a')).toBeDefined();
  });

  it('gives a retired text a new name when it is seen again', () => {
    const names = new StatementNames();
    names.nameFor('q');
    const first = names.nameFor('q');
    names.retire('q');
    expect(names.nameFor('q')).toBeUndefined();
    const second = names.nameFor('q');
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
  });
});
