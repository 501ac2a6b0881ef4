import {
  CatalogValueError,
  parseCatalogColor,
  parseFlag,
  parseHours,
  parseJpegQuality,
  parsePixelPair,
  parseTimeStamp,
} from './catalog-values';

describe('catalog value syntaxes', () => {
  it('parses hex colours with or without 0x, with optional alpha', () => {
    expect(parseCatalogColor('0x80ff00')).toEqual({ hex: '80FF00', r: 128, g: 255, b: 0, alpha: 255 });
    expect(parseCatalogColor('ffffff40')).toEqual({ hex: 'FFFFFF40', r: 255, g: 255, b: 255, alpha: 64 });
    expect(() => parseCatalogColor('255,0,0')).toThrow(CatalogValueError);
    expect(() => parseCatalogColor('fff')).toThrow(CatalogValueError);
  });

  it('parses w,h pairs of non-negative integers', () => {
    expect(parsePixelPair('2000,2000')).toEqual([2000, 2000]);
    expect(parsePixelPair('0,0')).toEqual([0, 0]);
    expect(() => parsePixelPair('400')).toThrow(CatalogValueError);
    expect(() => parsePixelPair('-1,5')).toThrow(CatalogValueError);
    expect(() => parsePixelPair('1.5,5')).toThrow(CatalogValueError);
  });

  it('parses JpegQuality with an optional chroma flag', () => {
    expect(parseJpegQuality('80,0')).toEqual({ quality: 80, chroma: false });
    expect(parseJpegQuality('95,1')).toEqual({ quality: 95, chroma: true });
    expect(parseJpegQuality('70')).toEqual({ quality: 70, chroma: false });
    expect(() => parseJpegQuality('0,0')).toThrow(CatalogValueError);
    expect(() => parseJpegQuality('101')).toThrow(CatalogValueError);
  });

  it('parses expirations in hours: >= 0 or -1', () => {
    expect(parseHours('0.1')).toBe(0.1);
    expect(parseHours('-1')).toBe(-1);
    expect(parseHours('0')).toBe(0);
    expect(() => parseHours('-3')).toThrow(CatalogValueError);
    expect(() => parseHours('ten')).toThrow(CatalogValueError);
  });

  it('parses flags', () => {
    expect(parseFlag('1')).toBe(true);
    expect(parseFlag('0')).toBe(false);
    expect(parseFlag('TRUE')).toBe(true);
    expect(() => parseFlag('2')).toThrow(CatalogValueError);
  });

  it('parses time stamps as epoch ms, zone abbreviations and GMT offsets', () => {
    expect(parseTimeStamp('1406334512000')).toBe(1406334512000);
    expect(parseTimeStamp('07/25/2014 17:28:32 PDT')).toBe(Date.UTC(2014, 6, 26, 0, 28, 32));
    expect(parseTimeStamp('07/25/2014 17:28:32 GMT')).toBe(Date.UTC(2014, 6, 25, 17, 28, 32));
    expect(parseTimeStamp('07/25/2014 17:28:32 GMT+5:30')).toBe(Date.UTC(2014, 6, 25, 11, 58, 32));
    expect(parseTimeStamp('07/25/2014 17:28:32 GMT-7')).toBe(Date.UTC(2014, 6, 26, 0, 28, 32));
    expect(() => parseTimeStamp('07/25/2014 17:28:32 XYZ')).toThrow(CatalogValueError);
    expect(() => parseTimeStamp('13/25/2014 17:28:32 GMT')).toThrow(CatalogValueError);
    expect(() => parseTimeStamp('yesterday')).toThrow(CatalogValueError);
  });
});
