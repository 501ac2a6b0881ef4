import { formatJsonPointer, parseJsonPointer, pointerIsAcceptable, pointerResolves, resolveJsonPointer } from './json-pointer';

// RFC 6901 §5 example document.
const rfc = { foo: ['bar', 'baz'], '': 0, 'a/b': 1, 'c%d': 2, 'e^f': 3, 'g|h': 4, 'i\\j': 5, 'k"l': 6, ' ': 7, 'm~n': 8 };

describe('parseJsonPointer / formatJsonPointer', () => {
  it.each([
    ['', []],
    ['/', ['']],
    ['/data/attributes/name', ['data', 'attributes', 'name']],
    ['/a~1b', ['a/b']],
    ['/m~0n', ['m~n']],
    ['/~01', ['~1']],
    ['/~10', ['/0']],
  ])('%j -> %j', (pointer, tokens) => {
    expect(parseJsonPointer(pointer)).toEqual(tokens);
    expect(formatJsonPointer(tokens)).toBe(pointer);
  });

  it.each(['data', '#/data', '/a~2b', '/a~', '/~'])('rejects %j', (pointer) => {
    expect(parseJsonPointer(pointer)).toBeNull();
  });

  it('formats numbers as indices', () => {
    expect(formatJsonPointer(['data', 0, 'id'])).toBe('/data/0/id');
  });
});

describe('resolveJsonPointer (RFC 6901 §5 examples)', () => {
  it.each([
    ['', rfc],
    ['/foo', ['bar', 'baz']],
    ['/foo/0', 'bar'],
    ['/', 0],
    ['/a~1b', 1],
    ['/c%d', 2],
    ['/e^f', 3],
    ['/g|h', 4],
    ['/i\\j', 5],
    ['/k"l', 6],
    ['/ ', 7],
    ['/m~0n', 8],
  ])('%j', (pointer, value) => {
    expect(resolveJsonPointer(rfc, pointer)).toEqual({ found: true, value });
  });
});

describe('pointerResolves', () => {
  const doc = { data: { type: 'hosts', attributes: { name: null, domains: ['a.com', 'b.com'] } } };

  it.each([
    ['/data', true],
    ['/data/attributes/name', true], // null is a value
    ['/data/attributes/domains/1', true],
    ['/data/attributes/domains/2', false],
    ['/data/attributes/domains/-', false],
    ['/data/attributes/domains/01', false],
    ['/data/attributes/domains/length', false],
    ['/data/attributes/missing', false],
    ['/data/type/0', false], // strings have no members
    ['/data/constructor', false], // own members only
    ['/data/attributes/__proto__', false],
    ['data', false],
  ])('%j -> %s', (pointer, expected) => {
    expect(pointerResolves(doc, pointer)).toBe(expected);
  });

  it('never resolves in a missing document, even the root', () => {
    expect(pointerResolves(undefined, '')).toBe(false);
    expect(pointerResolves(null, '')).toBe(true);
  });
});

describe('pointerIsAcceptable (missing but required members)', () => {
  const doc = { data: { type: 'properties', attributes: { platform: 'web' }, relationships: {} , list: [1] } };

  it.each([
    ['/data/attributes/platform', true], // resolves
    ['/data/attributes/domains', true], // missing, parent is an object
    ['/data/relationships/host', true],
    ['/data/list/1', true], // missing index of an existing array
    ['/data/list/x', false], // not an index
    ['/data/meta/action', false], // parent missing: point at /data/meta instead
    ['/data/attributes/platform/x', false], // parent is a string
    ['/nope/x', false],
    ['', true],
    ['bad', false],
  ])('%j -> %s', (pointer, expected) => {
    expect(pointerIsAcceptable(doc, pointer)).toBe(expected);
  });

  it('accepts nothing when the request had no body', () => {
    expect(pointerIsAcceptable(undefined, '/data')).toBe(false);
    expect(pointerIsAcceptable(undefined, '')).toBe(false);
  });

  it('accepts /data when the body is an empty object', () => {
    expect(pointerIsAcceptable({}, '/data')).toBe(true);
  });
});
