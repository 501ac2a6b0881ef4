import type { RunStyle, TextParagraph } from './styled-text';

/** Escapes text for Pango markup (an XML subset). Control characters other than `\n`/`\t` are dropped. */
export function escapeMarkup(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- Pango rejects these, so they are removed
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\ufffe\uffff]/g, '')
    .replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch] ?? ch);
}

function spanAttributes(style: RunStyle): string {
  const attrs: string[] = [];
  if (style.fontFamily !== undefined) {
    attrs.push(`font_family="${escapeMarkup(style.fontFamily)}"`);
  }
  if (style.sizeHalfPoints !== undefined) {
    // Pango sizes are in 1024ths of a point; \fs is in half-points.
    attrs.push(`size="${style.sizeHalfPoints * 512}"`);
  }
  if (style.bold) {
    attrs.push('weight="bold"');
  }
  if (style.italic) {
    attrs.push('style="italic"');
  }
  if (style.underline) {
    attrs.push('underline="single"');
  }
  if (style.color !== undefined && /^#[0-9a-f]{6}$/i.test(style.color)) {
    attrs.push(`foreground="${style.color}"`);
  }
  return attrs.join(' ');
}

/**
 * Pango markup for paragraphs, one line each. An empty paragraph becomes a zero-width space so it
 * still takes a line of height (Pango collapses an empty trailing line).
 */
export function paragraphsToMarkup(paragraphs: readonly TextParagraph[]): string {
  return paragraphs
    .map((p) => {
      if (p.runs.length === 0 || p.runs.every((r) => r.text === '')) {
        return '\u200b';
      }
      return p.runs
        .map((run) => {
          const attrs = spanAttributes(run.style);
          const text = escapeMarkup(run.text);
          return attrs === '' ? text : `<span ${attrs}>${text}</span>`;
        })
        .join('');
    })
    .join('\n');
}
