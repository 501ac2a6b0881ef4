import { MAX_GROUP_DEPTH, TextLayerError, isRtf, parseRtf } from './rtf-subset';
import { paragraphsToMarkup, escapeMarkup } from './pango-markup';
import { plainText } from './styled-text';

const texts = (rtf: string) => parseRtf(rtf).paragraphs.map((p) => p.runs.map((r) => r.text).join(''));

describe('parseRtf', () => {
  it('reads paragraphs, sizes, bold, colour table and centring', () => {
    const doc = parseRtf('{\\rtf1\\ansi{\\colortbl;\\red255\\green0\\blue0;\\red0\\green0\\blue255;}\\qc\\fs48\\b Error\\b0\\par\\pard\\cf2\\fs20 Image not found\\par}');
    expect(doc.paragraphs).toEqual([
      { align: 'centre', runs: [{ text: 'Error', style: { bold: true, italic: false, underline: false, sizeHalfPoints: 48 } }] },
      { align: 'left', runs: [{ text: 'Image not found', style: { bold: false, italic: false, underline: false, sizeHalfPoints: 20, color: '#0000ff' } }] },
    ]);
  });

  it('scopes formatting to groups and keeps the paragraph alignment when the outer group closes', () => {
    const doc = parseRtf('{\\rtf1\\qc plain {\\b bold} {\\cf1 auto}}');
    expect(doc.paragraphs).toHaveLength(1);
    expect(doc.paragraphs[0]?.align).toBe('centre');
    expect(doc.paragraphs[0]?.runs.map((r) => [r.text, r.style.bold])).toEqual([
      ['plain ', false],
      ['bold', true],
      [' auto', false],
    ]);
    // \cf1 without a colour table entry falls back to the default colour
    expect(doc.paragraphs[0]?.runs[2]?.style.color).toBeUndefined();
  });

  it('decodes escapes, hex (Windows-1252) and unicode characters, skipping the \\uc fallback', () => {
    expect(texts("{\\rtf1 a\\{b\\}c\\\\d \\'e9\\'80 \\u8364? \\uc2\\u946 xx!\\line z}")).toEqual(['a{b}c\\d é€ € β!\nz']);
  });

  it('uses \\fonttbl names for \\f and skips ignorable destinations', () => {
    const doc = parseRtf('{\\rtf1{\\fonttbl{\\f0\\fswiss Arial;}{\\f1\\froman Times New Roman;}}{\\*\\generator Riched20;}{\\info{\\title x}}\\f1 Hello}');
    expect(doc.paragraphs[0]?.runs).toEqual([{ text: 'Hello', style: expect.objectContaining({ fontFamily: 'Times New Roman' }) }]);
  });

  it('reads vertical alignment and ignores unknown control words and raw newlines', () => {
    const doc = parseRtf('{\\rtf1\\vertalc\\foo12\\bar Hel\r\nlo}');
    expect(doc.vertical).toBe('centre');
    expect(texts('{\\rtf1\\vertalc\\foo12\\bar Hel\r\nlo}')).toEqual(['Hello']);
    // Control words named like Object.prototype members are unknown words, not symbols.
    expect(texts('{\\rtf1 a\\constructor b\\toString c\\valueOf d}')).toEqual(['abcd']);
  });

  it('tolerates unbalanced braces', () => {
    expect(texts('{\\rtf1 open')).toEqual(['open']);
    expect(texts('{\\rtf1 x}}} y')).toEqual(['x y']);
  });

  it('clamps huge font sizes and rejects over-deep nesting', () => {
    expect(parseRtf('{\\rtf1\\fs99999 a}').paragraphs[0]?.runs[0]?.style.sizeHalfPoints).toBe(1000);
    expect(() => parseRtf(`{\\rtf1${'{'.repeat(MAX_GROUP_DEPTH + 1)}x}`)).toThrow(TextLayerError);
  });

  it('drops the empty paragraph an editor leaves after the last \\par', () => {
    expect(texts('{\\rtf1 a\\par b\\par}')).toEqual(['a', 'b']);
    expect(texts('{\\rtf1 a\\par\\par b}')).toEqual(['a', '', 'b']);
  });

  it('recognises RTF only by its header', () => {
    expect(isRtf('  {\\rtf1 x}')).toBe(true);
    expect(isRtf('Image not found')).toBe(false);
  });
});

describe('paragraphsToMarkup', () => {
  it('writes spans with Pango attributes and escapes text', () => {
    const doc = parseRtf('{\\rtf1{\\colortbl;\\red255\\green0\\blue0;}\\fs24\\b\\cf1 <a & "b">\\par\\i x}');
    expect(paragraphsToMarkup(doc.paragraphs)).toBe(
      '<span size="12288" weight="bold" foreground="#ff0000">&lt;a &amp; &quot;b&quot;&gt;</span>\n' +
        '<span size="12288" weight="bold" style="italic" foreground="#ff0000">x</span>',
    );
  });

  it('keeps empty paragraphs as a line and plain text unstyled', () => {
    expect(paragraphsToMarkup(plainText('a\n\nb<').paragraphs)).toBe('a\n\u200b\nb&lt;');
  });

  it('removes control characters Pango rejects', () => {
    expect(escapeMarkup('a\u0001b\u0000c')).toBe('abc');
  });
});
