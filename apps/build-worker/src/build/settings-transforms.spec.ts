import { ReactorError } from '@openexp/errors';
import { RawCode, toJavaScript } from './raw-code';
import { applyTransforms, parsePath } from './settings-transforms';

const ctx = (trusted = true) => ({
  origin: { kind: 'rule_component' as const, id: 'RC1' },
  originId: 'RCorigin',
  name: 'My action',
  trusted,
  emitFile: (path: string, content: string) => `https://cdn.example.com/build/files/RC1-${path}-${content.length}.js`,
});

describe('applyTransforms', () => {
  it('turns function transforms into raw functions with the declared parameters', () => {
    const { settings } = applyTransforms({ fn: 'return a + b;' }, [{ type: 'function', propertyPath: 'fn', parameters: ['a', 'b'] }], ctx());
    expect(settings['fn']).toBeInstanceOf(RawCode);
    expect(toJavaScript(settings, 0).text).toBe('{"fn":function(a, b) {\nreturn a + b;\n}}');
  });

  it('applies `[]` paths to every array item', () => {
    const input = { items: [{ code: '1' }, { code: '2' }, { other: true }] };
    const { settings } = applyTransforms(input, [{ type: 'function', propertyPath: 'items[].code' }], ctx());
    expect(toJavaScript(settings, 0).text).toBe('{"items":[{"code":function() {\n1\n}},{"code":function() {\n2\n}},{"other":true}]}');
    expect(input.items[0]?.code).toBe('1');
  });

  it('customCode: JavaScript becomes function(event, target, Promise), HTML stays a string, untrusted packages are refused', () => {
    const js = applyTransforms({ source: 'return 1;', language: 'javascript' }, [{ type: 'customCode', propertyPath: 'source' }], ctx());
    expect((js.settings['source'] as RawCode).code).toBe('function(event, target, Promise) {\nreturn 1;\n}');
    const html = applyTransforms({ source: '<b>x</b>', language: 'html' }, [{ type: 'customCode', propertyPath: 'source' }], ctx());
    expect(html.settings['source']).toBe('<b>x</b>');
    const global = applyTransforms({ source: 'var x = 1;', language: 'javascript', global: true }, [{ type: 'customCode', propertyPath: 'source' }], ctx());
    expect(global.settings['source']).toBe('var x = 1;');
    expect(() => applyTransforms({ source: 'x' }, [{ type: 'customCode', propertyPath: 'source' }], ctx(false))).toThrow(ReactorError);
  });

  it('file moves the value into a file and leaves its URL; remove and add change the runtime settings', () => {
    const { settings, filePaths } = applyTransforms(
      { html: '<p>hi</p>', secret: 'x', nested: { keep: 1 } },
      [
        { type: 'file', propertyPath: 'html' },
        { type: 'remove', propertyPath: 'secret' },
        { type: 'add', propertyPath: 'nested.id', reservedKey: 'originId' },
      ],
      ctx(),
    );
    expect(settings).toEqual({ html: 'https://cdn.example.com/build/files/RC1-html-9.js', nested: { keep: 1, id: 'RCorigin' } });
    expect(filePaths).toEqual(['html']);
  });

  it('leaves missing properties alone', () => {
    expect(applyTransforms({}, [{ type: 'function', propertyPath: 'a.b' }], ctx()).settings).toEqual({});
  });

  it('parses property paths', () => {
    expect(parsePath('a.b[].c')).toEqual([{ key: 'a', each: false }, { key: 'b', each: true }, { key: 'c', each: false }]);
  });
});

describe('toJavaScript', () => {
  it('cannot be fooled by user strings that look like placeholders', () => {
    const out = toJavaScript({ a: '__raw_x_0__', b: new RawCode('function(){}', { kind: 'module', id: 'm' }) }, 0);
    expect(out.text).toBe('{"a":"__raw_x_0__","b":function(){}}');
  });
});
