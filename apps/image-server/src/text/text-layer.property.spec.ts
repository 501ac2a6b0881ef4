import fc from 'fast-check';
import { paragraphsToMarkup } from './pango-markup';
import { TextLayerError } from './rtf-subset';
import { parseTextLayer, TextCanvasRepository } from './text-canvas.repository';

const RTF_PIECES = [
  '{\\rtf1', '{', '}', '\\par', '\\pard', '\\qc', '\\qr', '\\b', '\\b0', '\\i', '\\ul', '\\fs', '\\fs24', '\\fs-5', '\\cf1', '\\cf99',
  '{\\colortbl;\\red255\\green0\\blue0;}', '{\\fonttbl{\\f0 Arial;}}', '\\f0', '\\u8364?', '\\u-3', "\\'e9", "\\'zz", '\\\\', '\\{', '\\',
  '\\line', '\\tab', '\\vertalc', '{\\*\\x y}', '<', '&', '"', '\u0000', '\u2028', 'é', 'text ', '$error.message$',
];

const rtfLike = fc.array(fc.oneof(fc.constantFrom(...RTF_PIECES), fc.string({ maxLength: 8 })), { maxLength: 40 }).map((parts) => parts.join(''));

describe('text layers on arbitrary input', () => {
  it('parse to well-formed markup or a TextLayerError, never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(rtfLike, fc.string({ maxLength: 200 })), (text) => {
        try {
          const markup = paragraphsToMarkup(parseTextLayer(text).paragraphs);
          // Every span opened is closed and no raw markup character leaks from the text.
          expect((markup.match(/<span /g) ?? []).length).toBe((markup.match(/<\/span>/g) ?? []).length);
          expect(markup.replace(/<span [^>]*>|<\/span>/g, '')).not.toMatch(/[<>]/);
        } catch (error) {
          expect(error).toBeInstanceOf(TextLayerError);
        }
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('render with sharp without failing', async () => {
    const repo = new TextCanvasRepository();
    await fc.assert(
      fc.asyncProperty(rtfLike, async (text) => {
        const out = await repo.render({ width: 80, height: 40, background: { r: 255, g: 255, b: 255, alpha: 1 }, text, format: 'png' });
        expect([out.width, out.height]).toEqual([80, 40]);
      }),
      { numRuns: 150, seed: 11 },
    );
  });
});
