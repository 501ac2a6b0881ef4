import { ImageServingError } from '@openexp/errors';
import fc from 'fast-check';
import { isAbsolute } from 'node:path';
import type { CatalogSet } from '../catalog/catalog-set';
import { isInside } from '../catalog/root-guard';
import { loadFixtureSet } from '../test/fixtures';
import { percentEncodeValue } from './percent-decoding';
import { resolveRequest } from './resolve-request';

let set: CatalogSet;
beforeAll(async () => {
  set = await loadFixtureSet();
});

/** Path pieces an attacker would try, mixed with ordinary ones. */
const piece = fc.constantFrom(
  '..', '.', '%2E%2E', '%2e.', '.%2E', '%2F', '%2f', '%5C', '\\', '%00', '\0', '/', '//', '%25', '%', '%252F',
  'cat', 'CAT', 'abs', 'full', 'img1', 'escape', 'a', 'b.jpg', 'etc', 'passwd', '~', ':', 'C:', '%C0%AE', '%E2%80%AE',
);
const segment = fc.array(piece, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''));
const anySegment = fc.oneof(segment, fc.string({ maxLength: 8 }));
const pathSegments = fc.array(anySegment, { maxLength: 6 });

describe('root safety property', () => {
  it('never resolves a generated request path outside the roots, and only fails with ImageServingError', () => {
    fc.assert(
      fc.property(pathSegments, (segments) => {
        let filePath: string | null;
        let catalogRoot: string;
        try {
          const r = resolveRequest({ pathSegments: segments, rawQuery: '' }, set);
          filePath = r.object.filePath;
          catalogRoot = r.object.catalog.attributes.rootPath;
        } catch (err) {
          expect(err).toBeInstanceOf(ImageServingError);
          return;
        }
        if (filePath !== null) {
          expect(isAbsolute(filePath)).toBe(true);
          expect(set.rootGuard.contains(filePath)).toBe(true);
          // A request path can only reach below the RootPath of the catalog that resolved it.
          expect(isInside(catalogRoot, filePath)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never resolves a generated object reference (src=, defaultImage=) outside the roots', () => {
    const r = resolveRequest({ pathSegments: ['cat', 'img1'], rawQuery: '' }, set);
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 6 })), { maxLength: 8 }).map((p) => p.join('')), (ref) => {
        try {
          const o = r.resolveObject(ref);
          if (o.filePath !== null) {
            expect(set.rootGuard.contains(o.filePath)).toBe(true);
          }
        } catch (err) {
          expect(err).toBeInstanceOf(ImageServingError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('fails only with ImageServingError on arbitrary query strings', () => {
    const query = fc.array(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('&', '=', '$', '%', '(', ')', '{', '}', 'is(', '$view$', '.', '%zz', '%41')), { maxLength: 12 });
    fc.assert(
      fc.property(query, (parts) => {
        try {
          const r = resolveRequest({ pathSegments: ['cat', 'img1'], rawQuery: parts.join('') }, set);
          r.resolvedString();
        } catch (err) {
          expect(err).toBeInstanceOf(ImageServingError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes what percentEncodeValue wrote, and resolvedString() parses back to the same commands', () => {
    const name = fc.constantFrom('wid', 'HEI', 'text', 'bgc', 'fmt', 'op_usm', 'x.y');
    const value = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((v) => !v.includes('$') && !/^(is|ir|fxg)[({]/.test(v) && !v.startsWith('('));
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 6 }), (pairs) => {
        const query = pairs.map(([n, v]) => `${n}=${percentEncodeValue(v)}`).join('&');
        const r = resolveRequest({ pathSegments: ['cat', 'img1'], rawQuery: query }, set);
        const expected = new Map(pairs.map(([n, v]) => [n.toLowerCase(), v]));
        expect(new Map(r.commands.map((c) => [c.name, c.value]))).toEqual(expected);
        const again = resolveRequest({ pathSegments: ['cat', 'img1'], rawQuery: r.resolvedString().split('?')[1] ?? '' }, set);
        expect(again.commands.map((c) => [c.name, c.value])).toEqual(r.commands.map((c) => [c.name, c.value]));
      }),
      { numRuns: 1000 },
    );
  });
});
