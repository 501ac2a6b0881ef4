import { substituteVariables } from './variables';

const vars = new Map([
  ['a', 'x'],
  ['b', 'my$a$tree'],
  ['w', '300'],
]);

describe('substituteVariables (§1.4)', () => {
  it('replaces every reference, case-insensitively', () => {
    expect(substituteVariables('$w$,$W$', vars)).toBe('300,300');
  });

  it('is not recursive', () => {
    expect(substituteVariables('$b$', vars)).toBe('my$a$tree');
  });

  it('leaves undefined references and lone dollars literal', () => {
    expect(substituteVariables('my$image$file.tif', vars)).toBe('my$image$file.tif');
    expect(substituteVariables('$$a$', vars)).toBe('$x');
    expect(substituteVariables('cost: 5$', vars)).toBe('cost: 5$');
    expect(substituteVariables('$nope$a$', vars)).toBe('$nopex');
  });

  it('passes each substituted value, and only those, through encode', () => {
    expect(substituteVariables('is{?text=$w$&x=%26}', new Map([['w', 'a&b']]), encodeURIComponent)).toBe('is{?text=a%26b&x=%26}');
  });
});
