/** A small document model for text layers: what the RTF subset and plain text both parse into. */

/** Horizontal alignment of a paragraph (`\ql`, `\qc`, `\qr`; `\qj` renders as left). */
export type TextAlign = 'left' | 'centre' | 'right';

/** Vertical placement of the text block in its layer (`\vertalt`, `\vertalc`, `\vertalb`). */
export type VerticalAlign = 'top' | 'centre' | 'bottom';

/** Character formatting of one run. */
export interface RunStyle {
  /** Font size in half-points (`\fs24` = 12 pt); `undefined` → the renderer's default. */
  sizeHalfPoints?: number;
  bold: boolean;
  italic: boolean;
  underline: boolean;
  /** `#rrggbb`; `undefined` → the renderer's default (black). */
  color?: string;
  /** Font family from `\fonttbl`; `undefined` → the renderer's default. */
  fontFamily?: string;
}

/** A run of text sharing one style. Line breaks inside a paragraph (`\line`) are `\n`. */
export interface TextRun {
  text: string;
  style: RunStyle;
}

/** A paragraph: its runs and alignment. */
export interface TextParagraph {
  align: TextAlign;
  runs: TextRun[];
}

/** A parsed text layer. */
export interface StyledText {
  paragraphs: TextParagraph[];
  vertical: VerticalAlign;
}

/** The style of text without formatting. */
export const PLAIN_STYLE: RunStyle = Object.freeze({ bold: false, italic: false, underline: false });

/** Plain text: one paragraph per line, left-aligned, default font. */
export function plainText(text: string): StyledText {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return {
    vertical: 'top',
    paragraphs: lines.map((line) => ({ align: 'left', runs: line === '' ? [] : [{ text: line, style: { ...PLAIN_STYLE } }] })),
  };
}
