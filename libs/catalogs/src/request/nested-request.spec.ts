import fc from 'fast-check';
import { ImageServingError } from '@openexp/errors';
import type { CatalogSet } from '../catalog/catalog-set';
import { FIXTURE_ROOT, loadFixtureSet } from '../test/fixtures';
import type { CommandRouting } from './command-merge';
import { MAX_NESTING_DEPTH, parseNestedRequest, resolveNestedRequest } from './nested-request';
import { nestedDepthOf } from './nested-syntax';
import { resolveRequest } from './resolve-request';

let set: CatalogSet;
beforeAll(async () => {
  set = await loadFixtureSet();
});

const resolve = (path: string, query = '') => resolveRequest({ pathSegments: path === '' ? [] : path.split('/'), rawQuery: query }, set);
const failure = (run: () => unknown): ImageServingError => {
  try {
    run();
  } catch (err) {
    if (err instanceof ImageServingError) {
      return err;
    }
    throw err;
  }
  throw new Error('resolved without error');
};

describe('parseNestedRequest (§1.2 item 4, §3.5)', () => {
  it('takes is{…} and is(…) apart into path elements and raw query', () => {
    expect(parseNestedRequest('is{cat/img1?wid=100&hei=50}')).toEqual({ kind: 'is', pathSegments: ['cat', 'img1'], rawQuery: 'wid=100&hei=50' });
    expect(parseNestedRequest('is(cat/img1)')).toEqual({ kind: 'is', pathSegments: ['cat', 'img1'], rawQuery: '' });
    expect(parseNestedRequest('is{?src=cat/img1&size=30,30&cache=on}')).toEqual({ kind: 'is', pathSegments: [], rawQuery: 'src=cat/img1&size=30,30&cache=on' });
  });

  it('keeps inner nested requests and %-escaped brackets in the raw query', () => {
    expect(parseNestedRequest('is{?src=is(cat/img1?wid=5)&text=a%7Bb}').rawQuery).toBe('src=is(cat/img1?wid=5)&text=a%7Bb');
  });

  it('refuses a value whose brackets do not close where it ends, naming the command', () => {
    for (const bad of ['is{cat/img1', 'is{cat/img1)', 'is{a}b', 'is{a{b}', 'is{a}}', 'is(a{)}']) {
      const err = failure(() => parseNestedRequest(bad, 'mask'));
      expect(err.code).toBe('IMG_INVALID_COMMAND_VALUE');
      expect(err.detail).toContain(`mask=${bad}`);
    }
  });
});

describe('resolveNestedRequest (§3.5)', () => {
  it('resolves the nested request in the same catalogs, with its record modifiers', () => {
    const outer = resolve('cat/img1', 'layer=1&src=is{cat/mod1?hei=20}');
    const nested = resolveNestedRequest(outer.value('src', '1') ?? '', outer);
    expect(nested.nestingDepth).toBe(1);
    expect(nested.object.filePath).toBe(`${FIXTURE_ROOT}/images/cat/img1.jpg`);
    expect(nested.value('wid')).toBe('100');
    expect(nested.value('hei')).toBe('20');
  });

  it('ignores fmt, qlt, bgc, req, iccEmbed, printRes and quantize from the URL, Modifier and PostModifier', () => {
    const outer = resolve('cat/img1', 'layer=1&src=is{cat/mod1?fmt=gif&bgc=ff0000&req=props&iccEmbed=1&printRes=72&quantize=web&wid=7&cache=on}');
    const nested = resolveNestedRequest(outer.value('src', '1') ?? '', outer);
    expect(nested.commands.map((c) => `${c.name}=${c.value}`)).toEqual(['wid=7', 'cache=on']);
  });

  it('inherits the outer variables and $object$, %-encoding a substituted value inside the nested text', () => {
    const outer = resolve('cat/img1', '$t=a%26b&layer=1&src=is{?src=$object$&text=$t$}');
    expect(outer.value('src', '1')).toBe('is{?src=cat/img1&text=a%26b}');
    const nested = resolveNestedRequest(outer.value('src', '1') ?? '', outer);
    expect(nested.value('src')).toBe('cat/img1');
    expect(nested.value('text')).toBe('a&b');
    expect(nested.variables.get('object')).toBe('cat/img1');
  });

  it('lets a nested request\'s own variable definitions win inside it', () => {
    const outer = resolve('cat/img1', '$a=outer&text=$a$&layer=1&src=is{?$a=inner&text=$a$&src=cat/img1}');
    expect(outer.value('text')).toBe('outer');
    const nested = resolveNestedRequest(outer.value('src', '1') ?? '', outer);
    expect(nested.value('text')).toBe('inner');
  });

  it('lets a template record inside a nested request use the variables of the outer request', () => {
    const outer = resolve('cat/img1', '$name=Bob&$w=12&layer=1&src=is{cat/tpl}');
    const nested = resolveNestedRequest(outer.value('src', '1') ?? '', outer);
    expect(nested.value('text')).toBe('Bob');
    expect(nested.value('wid')).toBe('12');
    expect(nested.value('src')).toBe('cat/img1');
  });

  it(`refuses nesting deeper than ${MAX_NESTING_DEPTH} with IMG_NESTING_LIMIT naming the depth`, () => {
    let req = resolve('cat/img1', 'layer=1&src=is{?layer=1&src=is{?layer=1&src=is{cat/img1}}}');
    for (let depth = 1; depth <= MAX_NESTING_DEPTH; depth++) {
      req = resolveNestedRequest(req.value('src', '1') ?? '', req);
      expect(req.nestingDepth).toBe(depth);
    }
    // one more level, as a template that nests itself would add it
    const err = failure(() => resolveNestedRequest('is{cat/img1}', req));
    expect(err.code).toBe('IMG_NESTING_LIMIT');
    expect(err.detail).toBe(`src=is{cat/img1}: requests nested ${MAX_NESTING_DEPTH + 1} deep, more than the limit of ${MAX_NESTING_DEPTH}`);
  });

  it('checks nesting written out in the request, and the syntax of nested values, when the request is resolved', () => {
    const deep = failure(() => resolve('cat/img1', 'layer=1&mask=is{?layer=1&src=is(?src=is{?src=is{cat/img1}})}'));
    expect(deep.code).toBe('IMG_NESTING_LIMIT');
    expect(deep.detail).toContain('mask=is{?layer=1&src=is(?src=is{?src=is{cat/img1}})}: requests nested 4 deep');
    expect(failure(() => resolve('cat/img1', 'layer=1&src=is{a}b')).code).toBe('IMG_INVALID_COMMAND_VALUE');
    expect(nestedDepthOf('is{?src=is{x}&text={a(b)}&mask=ir(y)}')).toBe(2);
    expect(nestedDepthOf('this{is}')).toBe(0);
  });

  it('refuses ir{…} and fxg{…} as not supported, and applies the routing check', () => {
    const outer = resolve('cat/img1');
    expect(failure(() => resolveNestedRequest('ir{cat/x?wid=1}', outer)).code).toBe('IMG_UNSUPPORTED_REQUEST');
    expect(failure(() => resolveNestedRequest('fxg(cat/x)', outer, { command: 'mask' })).detail).toContain('mask=fxg(cat/x)');
    const routing: CommandRouting = {
      isGlobal: () => false,
      layerZeroIsComposite: true,
      check: (commands) => {
        if (commands.some((c) => c.name === 'op_hue')) {
          throw new ImageServingError('IMG_UNSUPPORTED_REQUEST', 'op_hue');
        }
      },
    };
    expect(failure(() => resolveNestedRequest('is{cat/img1?op_hue=5}', outer, { routing })).code).toBe('IMG_UNSUPPORTED_REQUEST');
  });

  it('resolves a nested request without a path in the catalog of the request it is nested in', () => {
    const outer = resolve('cat/img1', 'layer=1&src=is{?template=tpl&$name=Zoe}');
    const nested = resolveNestedRequest(outer.value('src', '1') ?? '', outer);
    expect(nested.catalog.rootId).toBe('cat');
    expect(nested.object.id).toBe('tpl');
    expect(nested.value('text')).toBe('Zoe');
    expect(nested.variables.get('object')).toBe('cat/img1');
  });
});

describe('nested requests on arbitrary input', () => {
  const PIECES = ['is{', 'is(', 'ir{', '}', ')', '{', '(', '?', '&', '=', 'src=', 'mask=', 'layer=1&', 'cat/img1', 'tpl', 'template=', '$object$', '$x=', '%7B', '%', 'wid=5', ','];
  const text = fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 4 })), { maxLength: 24 }).map((p) => p.join(''));

  it('resolve to a request within the depth limit or fail with an ImageServingError, never anything else', () => {
    fc.assert(
      fc.property(text, (query) => {
        try {
          const outer = resolve('cat/img1', query);
          for (const c of outer.commands.filter((m) => m.nested && (m.name === 'src' || m.name === 'mask'))) {
            expect(resolveNestedRequest(c.value, outer).nestingDepth).toBe(1);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(ImageServingError);
        }
      }),
      { numRuns: 3000, seed: 15 },
    );
  });
});
