import { BROWSER_ACCEPT } from '../../test/support/browser-accept';
import { buildRenderSpec } from '../commands/build-render-spec';
import type { RenderSpec } from '../commands/render-spec';
import { applyNegotiation, hintedDpr, negotiate, negotiateFormat, negotiationHeaders, negotiationKey } from './format-negotiation';

const spec = (query: string): RenderSpec =>
  buildRenderSpec(
    query
      .split('&')
      .filter(Boolean)
      .map((pair) => {
        const [name = '', value = ''] = pair.split('=');
        return { name: name.toLowerCase(), value };
      }),
    { thumbnail: false },
  );

describe('format negotiation (bfc, issue 16)', () => {
  it.each([
    ['current Chrome', BROWSER_ACCEPT.chrome, 'webp'],
    ['current Firefox', BROWSER_ACCEPT.firefox, 'webp'],
    ['current Safari', BROWSER_ACCEPT.safari, 'webp'],
    ['Safari 13', BROWSER_ACCEPT.oldSafari, 'jpeg'],
    ['*/*', '*/*', 'jpeg'],
    ['image/* alone', 'image/*', 'jpeg'],
    ['no Accept', undefined, 'jpeg'],
    ['empty Accept', '', 'jpeg'],
    ['AVIF only', 'image/avif', 'avif'],
    ['WebP refused with q=0', 'image/avif,image/webp;q=0,*/*', 'avif'],
    ['both refused', 'image/avif;q=0, image/webp; q=0.0', 'jpeg'],
    ['upper case and spaces', ' IMAGE/WEBP ; Q=0.5 ', 'webp'],
    ['a malformed q', 'image/webp;q=abc,image/avif', 'avif'],
  ])('%s: %j → %s', (_name, accept, expected) => {
    expect(negotiateFormat(accept)).toBe(expected);
  });

  it('ignores an absurdly long Accept past its first 2048 characters', () => {
    expect(negotiateFormat(`${'x/y,'.repeat(1000)}image/webp`)).toBe('jpeg');
  });

  it('negotiates only without fmt= and with bfc on (URL over catalog/server setting)', () => {
    const chrome = { accept: BROWSER_ACCEPT.chrome };
    expect(negotiate(spec('wid=10'), true, chrome).format).toBe('webp');
    expect(negotiate(spec('wid=10'), false, chrome).format).toBeUndefined();
    expect(negotiate(spec('wid=10&bfc=on'), false, chrome).format).toBe('webp');
    expect(negotiate(spec('wid=10&bfc=off'), true, chrome).format).toBeUndefined();
    expect(negotiate(spec('fmt=jpeg'), true, chrome).format).toBeUndefined();
    expect(negotiate(spec('fmt=png-alpha&bfc=on'), true, chrome).format).toBeUndefined();
  });

  it('writes the chosen format into the spec, keeping alpha when the source has it and no bgc= is given', () => {
    const n = negotiate(spec(''), true, { accept: BROWSER_ACCEPT.chrome });
    const opaque = spec('');
    expect(negotiationKey(n)).toBe('|bfc=webp');
    applyNegotiation(opaque, n, false);
    expect(opaque.fmt).toEqual({ format: 'webp' });
    const transparent = spec('');
    applyNegotiation(transparent, n, true);
    expect(transparent.fmt).toEqual({ format: 'webp-alpha' });
    const onRed = spec('bgc=ff0000');
    applyNegotiation(onRed, n, true);
    expect(onRed.fmt).toEqual({ format: 'webp' });
    const jpeg = spec('');
    const star = negotiate(jpeg, true, { accept: '*/*' });
    expect(negotiationKey(star)).toBe('|bfc=jpeg');
    applyNegotiation(jpeg, star, true);
    expect(jpeg.fmt).toEqual({ format: 'jpeg' });
    const avif = spec('');
    applyNegotiation(avif, negotiate(avif, true, { accept: 'image/avif' }), true);
    expect(avif.fmt).toEqual({ format: 'avif-alpha' });
  });

  it('says Vary: Accept for every negotiated reply and nothing for an explicit fmt=', () => {
    expect(negotiationHeaders(negotiate(spec(''), true, { accept: '*/*' }))).toEqual({ Vary: 'Accept' });
    expect(negotiationHeaders(negotiate(spec(''), true, {}))).toEqual({ Vary: 'Accept' });
    expect(negotiationHeaders(negotiate(spec('fmt=webp'), true, { accept: BROWSER_ACCEPT.chrome }))).toEqual({});
    expect(negotiationHeaders(negotiate(spec(''), false, { accept: BROWSER_ACCEPT.chrome }))).toEqual({});
  });

  it('takes the DPR from the client hint only for dpr=on without a ratio, and varies on the hints then', () => {
    const hinted = negotiate(spec('dpr=on'), false, { dprHint: '2.625' });
    expect(hinted).toEqual({ format: undefined, hintedDpr: 2.63, usesDprHint: true });
    expect(negotiationHeaders(hinted)).toEqual({ Vary: 'Sec-CH-DPR, DPR', 'Accept-CH': 'Sec-CH-DPR, DPR' });
    const s = spec('dpr=on');
    expect(negotiationKey(hinted)).toBe('|dpr=2.63');
    expect(negotiationKey(negotiate(spec('dpr=on'), true, { accept: 'image/avif' }))).toBe('|bfc=avif|dpr=1');
    expect(negotiationKey(negotiate(spec('fmt=webp&dpr=on,2'), true, { accept: 'image/avif' }))).toBe('');
    applyNegotiation(s, hinted, false);
    expect(s.dpr).toEqual({ on: true, ratio: 2.63 });
    expect(negotiate(spec('dpr=on,3'), false, { dprHint: '2' })).toMatchObject({ hintedDpr: undefined, usesDprHint: false });
    expect(negotiate(spec('dpr=off'), false, { dprHint: '2' })).toMatchObject({ hintedDpr: undefined, usesDprHint: false });
    expect(negotiate(spec(''), false, { dprHint: '2' })).toMatchObject({ hintedDpr: undefined, usesDprHint: false });
    expect(negotiationHeaders(negotiate(spec('dpr=on'), true, { accept: BROWSER_ACCEPT.chrome, dprHint: '2' }))).toEqual({
      Vary: 'Accept, Sec-CH-DPR, DPR',
      'Accept-CH': 'Sec-CH-DPR, DPR',
    });
  });

  it.each([
    ['2', 2],
    ['1.5', 1.5],
    [' 3 ', 3],
    ['250', 100],
    ['1000', undefined],
    ['0', undefined],
    ['-2', undefined],
    ['abc', undefined],
    ['2e3', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('reads the DPR hint %j as %j (malformed hints are ignored)', (hint, expected) => {
    expect(hintedDpr(hint)).toBe(expected);
  });
});
