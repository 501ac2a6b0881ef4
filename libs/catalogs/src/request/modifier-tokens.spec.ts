import { ImageServingError } from '@openexp/errors';
import { splitModifiers, tokenizeModifiers } from './modifier-tokens';
import { percentDecode, percentEncodeValue } from './percent-decoding';

describe('splitModifiers (§1.2)', () => {
  it('splits on & only; ; is not a separator; empty pieces vanish', () => {
    expect(splitModifiers('wid=200;hei=100&&fmt=png&')).toEqual(['wid=200;hei=100', 'fmt=png']);
  });

  it('keeps nested is(...)/ir{...} requests and (url) sources whole', () => {
    expect(splitModifiers('src=is(cat/a?wid=1&src=is(cat/b?hei=2&x=(y))&z=1)&wid=3')).toEqual([
      'src=is(cat/a?wid=1&src=is(cat/b?hei=2&x=(y))&z=1)',
      'wid=3',
    ]);
    expect(splitModifiers('src=ir{cat/a?x=1&y=2}&src2=fxg(a&b)&mask=(http://h/p?a=1&b=2)&w=1')).toEqual([
      'src=ir{cat/a?x=1&y=2}',
      'src2=fxg(a&b)',
      'mask=(http://h/p?a=1&b=2)',
      'w=1',
    ]);
  });

  it('does not treat brackets inside ordinary values as groups', () => {
    expect(splitModifiers('text=a(b&wid=1&$t=x{&hei=2')).toEqual(['text=a(b', 'wid=1', '$t=x{', 'hei=2']);
  });

  it('refuses an unclosed nested request as a usage error', () => {
    expect(() => splitModifiers('src=is(cat/a?wid=1&hei=2')).toThrow(expect.objectContaining({ code: 'IMG_INVALID_COMMAND_VALUE' }));
  });
});

describe('tokenizeModifiers (§1.1, §1.2, §1.4)', () => {
  it('splits at the first = and %-decodes values, keeping + literal', () => {
    expect(tokenizeModifiers('text=a%3Db%26c+d%25&WID=200', 'strict', 'url')).toEqual([
      { kind: 'command', name: 'text', value: 'a=b&c+d%', nested: false, source: 'url', macro: null },
      { kind: 'command', name: 'WID', value: '200', nested: false, source: 'url', macro: null },
    ]);
  });

  it('decodes %xx case-insensitively and as UTF-8, falling back to Latin-1', () => {
    expect(percentDecode('caf%C3%a9', 'strict')).toBe('café');
    expect(percentDecode('caf%e9', 'strict')).toBe('café');
  });

  it('refuses invalid escapes in request text, keeps them in catalog data', () => {
    const err = (() => {
      try {
        tokenizeModifiers('wid=100&text=50%zz', 'strict', 'url');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ImageServingError);
    expect(err).toMatchObject({ code: 'IMG_INVALID_COMMAND_VALUE', command: 'text', value: '50%zz' });
    expect(tokenizeModifiers('text=50%', 'lenient', 'modifier')[0]).toMatchObject({ value: '50%' });
  });

  it('drops comments, which run to the next &', () => {
    expect(tokenizeModifiers('wid=1&.v=123&.comment&hei=2', 'strict', 'url').map((t) => t.kind === 'command' && t.name)).toEqual(['wid', 'hei']);
  });

  it('classifies macro calls and variable definitions', () => {
    expect(tokenizeModifiers('$view$&$w=300&$flag&wid=$w$', 'strict', 'url')).toEqual([
      { kind: 'macro', name: 'view', source: 'url' },
      { kind: 'variable', name: 'w', value: '300', source: 'url' },
      { kind: 'variable', name: 'flag', value: '', source: 'url' },
      { kind: 'command', name: 'wid', value: '$w$', nested: false, source: 'url', macro: null },
    ]);
  });

  it('keeps nested request values undecoded for their own parser', () => {
    expect(tokenizeModifiers('src=is(cat/a?text=x%26y)', 'strict', 'url')[0]).toMatchObject({ value: 'is(cat/a?text=x%26y)', nested: true });
  });

  it('refuses nameless commands and invalid macro or variable names', () => {
    expect(() => tokenizeModifiers('=5', 'strict', 'url')).toThrow(/command without a name/);
    expect(() => tokenizeModifiers('$a b$', 'strict', 'url')).toThrow(/invalid macro name/);
    expect(() => tokenizeModifiers('$a/b=1', 'strict', 'url')).toThrow(/invalid variable name/);
  });

  it('gives commands without = an empty value', () => {
    expect(tokenizeModifiers('op_sharpen', 'strict', 'url')[0]).toMatchObject({ name: 'op_sharpen', value: '' });
  });
});

describe('percentEncodeValue', () => {
  it('round-trips through percentDecode', () => {
    for (const v of ['a=b&c', '50%', 'x y+z', 'café', '#?', 'plain-1.0,2']) {
      expect(percentDecode(percentEncodeValue(v), 'strict')).toBe(v);
    }
    expect(percentEncodeValue('255,0,0')).toBe('255,0,0');
  });
});
