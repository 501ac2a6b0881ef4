import { PLAIN_STYLE, type RunStyle, type StyledText, type TextAlign, type TextParagraph, type VerticalAlign } from './styled-text';

/** Thrown when a text layer cannot be parsed within its limits. */
export class TextLayerError extends Error {
  override readonly name = 'TextLayerError';
}

/** Longest text layer source accepted, in characters. */
export const MAX_TEXT_LAYER_LENGTH = 20_000;
/** Deepest group nesting accepted. */
export const MAX_GROUP_DEPTH = 64;
/** Largest `\fs` accepted (half-points): 500 pt. Larger values are clamped. */
export const MAX_FONT_HALF_POINTS = 1000;

type Destination = 'text' | 'fonttbl' | 'colortbl' | 'skip';

interface GroupState {
  style: RunStyle;
  colorIndex: number | undefined;
  fontIndex: number | undefined;
  align: TextAlign;
  destination: Destination;
  /** `\ucN`: characters to skip after a `\uN`. */
  unicodeSkip: number;
}

/**
 * The document side of the RTF subset parser (`rtf-subset.ts`): group state, the font and colour
 * tables, and the paragraphs and runs the text goes into. The parser reads tokens and calls it.
 */
export abstract class RtfDocument {
  protected readonly paragraphs: TextParagraph[] = [];
  protected current: TextParagraph = { align: 'left', runs: [] };
  private readonly stack: GroupState[] = [];
  protected state: GroupState = { style: { ...PLAIN_STYLE }, colorIndex: undefined, fontIndex: undefined, align: 'left', destination: 'text', unicodeSkip: 1 };
  protected vertical: VerticalAlign = 'top';
  protected readonly colors: Array<string | undefined> = [];
  protected pendingColor = { red: 0, green: 0, blue: 0, any: false };
  protected readonly fonts = new Map<number, string>();
  protected fontEntry: { index: number | undefined; name: string } = { index: undefined, name: '' };
  protected skipChars = 0;

  /** The paragraphs so far, without the empty trailing ones an editor's last `\par` leaves. */
  protected document(): StyledText {
    this.endParagraph();
    while (this.paragraphs.length > 1 && this.paragraphs[this.paragraphs.length - 1]?.runs.length === 0) {
      this.paragraphs.pop();
    }
    return { paragraphs: this.paragraphs, vertical: this.vertical };
  }

  protected openGroup(): void {
    if (this.stack.length >= MAX_GROUP_DEPTH) {
      throw new TextLayerError(`RTF groups nest deeper than ${MAX_GROUP_DEPTH}`);
    }
    this.stack.push(this.state);
    this.state = { ...this.state, style: { ...this.state.style } };
  }

  protected closeGroup(): void {
    if (this.state.destination === 'fonttbl') {
      this.finishFontEntry();
    }
    const outer = this.stack.pop();
    if (outer !== undefined) {
      this.state = outer;
    }
  }

  protected emit(text: string): void {
    if (this.skipChars > 0) {
      this.skipChars--;
      return;
    }
    const s = this.state;
    switch (s.destination) {
      case 'skip':
        return;
      case 'colortbl':
        if (text === ';') {
          const { red, green, blue, any } = this.pendingColor;
          this.colors.push(any ? `#${[red, green, blue].map((c) => c.toString(16).padStart(2, '0')).join('')}` : undefined);
          this.pendingColor = { red: 0, green: 0, blue: 0, any: false };
        }
        return;
      case 'fonttbl':
        if (text === ';') {
          this.finishFontEntry();
        } else {
          this.fontEntry.name += text;
        }
        return;
      case 'text': {
        const runs = this.current.runs;
        const last = runs[runs.length - 1];
        if (last === undefined) {
          // A paragraph takes the alignment in effect where its text starts (or a later \q* inside it).
          this.current.align = s.align;
        }
        if (last !== undefined && sameStyle(last.style, s.style)) {
          last.text += text;
        } else {
          runs.push({ text, style: { ...s.style } });
        }
      }
    }
  }

  private finishFontEntry(): void {
    const { index, name } = this.fontEntry;
    const family = name.trim();
    if (index !== undefined && family !== '') {
      this.fonts.set(index, family);
    }
    this.fontEntry = { index: undefined, name: '' };
  }

  protected endParagraph(): void {
    this.paragraphs.push(this.current);
    this.current = { align: this.state.align, runs: [] };
  }
}

function sameStyle(a: RunStyle, b: RunStyle): boolean {
  return (
    a.bold === b.bold &&
    a.italic === b.italic &&
    a.underline === b.underline &&
    a.sizeHalfPoints === b.sizeHalfPoints &&
    a.color === b.color &&
    a.fontFamily === b.fontFamily
  );
}
