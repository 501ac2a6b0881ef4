/**
 * A parser for the small RTF subset error templates and text layers need (image-serving.md §5.4):
 * `{\rtf1 … }` with `\fs<halfpoints>`, `\b`/`\b0`, `\i`/`\i0`, `\ul`/`\ulnone`, `\cf<n>` with a
 * `{\colortbl …}`, `\f<n>` with a `{\fonttbl …}`, `\ql`/`\qc`/`\qr`/`\qj`, `\pard`, `\plain`,
 * `\par`, `\line`, `\tab`, `\vertalt`/`\vertalc`/`\vertalb`, `\'hh` (Windows-1252), `\uN` with
 * `\ucN`, the escapes `\\ \{ \}`, and groups that scope formatting. Other control words and
 * ignorable destinations (`{\*\…}`, `\stylesheet`, `\info`, `\pict` …) are skipped, so RTF saved by
 * an editor still renders its text. Unbalanced braces are tolerated; size and nesting are bounded.
 */
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

const SKIPPED_DESTINATIONS = new Set([
  'stylesheet', 'info', 'pict', 'header', 'footer', 'footnote', 'field', 'fldinst', 'object', 'listtable',
  'listoverridetable', 'rsidtbl', 'generator', 'themedata', 'colorschememapping', 'latentstyles', 'datastore', 'xmlnstbl',
]);

const SYMBOLS: Readonly<Record<string, string>> = {
  emdash: '\u2014', endash: '\u2013', bullet: '\u2022', lquote: '\u2018', rquote: '\u2019', ldblquote: '\u201c', rdblquote: '\u201d',
  emspace: '\u2003', enspace: '\u2002', tab: '\t',
};

// Windows-1252 differs from Latin-1 only in 0x80-0x9F; Node's small-ICU builds do not decode it.
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function cp1252(byte: number): string {
  return byte >= 0x80 && byte < 0xa0 ? CP1252_HIGH.charAt(byte - 0x80) : String.fromCharCode(byte);
}

/** True when a text layer value is RTF rather than plain text. */
export function isRtf(text: string): boolean {
  return /^\s*\{\\rtf/.test(text);
}

class RtfParser {
  private readonly paragraphs: TextParagraph[] = [];
  private current: TextParagraph;
  private readonly stack: GroupState[] = [];
  private state: GroupState;
  private vertical: VerticalAlign = 'top';
  private readonly colors: Array<string | undefined> = [];
  private pendingColor = { red: 0, green: 0, blue: 0, any: false };
  private readonly fonts = new Map<number, string>();
  private fontEntry: { index: number | undefined; name: string } = { index: undefined, name: '' };
  private skipChars = 0;
  private pos = 0;

  constructor(private readonly src: string) {
    this.state = { style: { ...PLAIN_STYLE }, colorIndex: undefined, fontIndex: undefined, align: 'left', destination: 'text', unicodeSkip: 1 };
    this.current = { align: 'left', runs: [] };
  }

  parse(): StyledText {
    const src = this.src;
    while (this.pos < src.length) {
      const ch = src.charAt(this.pos);
      if (ch === '{') {
        this.pos++;
        this.openGroup();
      } else if (ch === '}') {
        this.pos++;
        this.closeGroup();
      } else if (ch === '\\') {
        this.controlSymbolOrWord();
      } else {
        this.pos++;
        if (ch !== '\r' && ch !== '\n') {
          this.emit(ch);
        }
      }
    }
    this.endParagraph();
    // An editor's trailing \par leaves one empty paragraph: drop trailing empties.
    while (this.paragraphs.length > 1 && this.paragraphs[this.paragraphs.length - 1]?.runs.length === 0) {
      this.paragraphs.pop();
    }
    return { paragraphs: this.paragraphs, vertical: this.vertical };
  }

  private openGroup(): void {
    if (this.stack.length >= MAX_GROUP_DEPTH) {
      throw new TextLayerError(`RTF groups nest deeper than ${MAX_GROUP_DEPTH}`);
    }
    this.stack.push(this.state);
    this.state = { ...this.state, style: { ...this.state.style } };
  }

  private closeGroup(): void {
    if (this.state.destination === 'fonttbl') {
      this.finishFontEntry();
    }
    const outer = this.stack.pop();
    if (outer !== undefined) {
      this.state = outer;
    }
  }

  private controlSymbolOrWord(): void {
    const src = this.src;
    const next = src.charAt(this.pos + 1);
    if (/[a-zA-Z]/.test(next)) {
      const match = /^\\([a-zA-Z]{1,32})(-?\d{1,10})? ?/.exec(src.slice(this.pos, this.pos + 45));
      const word = match?.[1] ?? '';
      this.pos += match?.[0].length ?? 1;
      this.controlWord(word.toLowerCase(), match?.[2] === undefined ? undefined : Number(match[2]));
      return;
    }
    this.pos += 2;
    switch (next) {
      case '\\':
      case '{':
      case '}':
        this.emit(next);
        return;
      case "'": {
        const hex = src.slice(this.pos, this.pos + 2);
        if (/^[0-9a-fA-F]{2}$/.test(hex)) {
          this.pos += 2;
          this.emit(cp1252(parseInt(hex, 16)));
        }
        return;
      }
      case '~':
        this.emit('\u00a0');
        return;
      case '_':
        this.emit('\u2011');
        return;
      case '*':
        this.state.destination = 'skip';
        return;
      case '\n':
      case '\r':
        this.controlWord('par', undefined);
        return;
      default:
        // `\-` (optional hyphen), `\:` and unknown symbols: nothing to draw.
        return;
    }
  }

  private controlWord(word: string, param: number | undefined): void {
    const s = this.state;
    if (SKIPPED_DESTINATIONS.has(word)) {
      s.destination = 'skip';
      return;
    }
    switch (word) {
      case 'fonttbl':
        s.destination = 'fonttbl';
        return;
      case 'colortbl':
        s.destination = 'colortbl';
        return;
      case 'red':
      case 'green':
      case 'blue':
        if (s.destination === 'colortbl') {
          this.pendingColor[word] = Math.max(0, Math.min(255, param ?? 0));
          this.pendingColor.any = true;
        }
        return;
      case 'f':
        if (s.destination === 'fonttbl') {
          this.fontEntry.index = param;
        } else {
          s.fontIndex = param;
          s.style.fontFamily = param === undefined ? undefined : this.fonts.get(param);
        }
        return;
      case 'fs':
        s.style.sizeHalfPoints = param === undefined || param <= 0 ? undefined : Math.min(param, MAX_FONT_HALF_POINTS);
        return;
      case 'b':
        s.style.bold = param !== 0;
        return;
      case 'i':
        s.style.italic = param !== 0;
        return;
      case 'ul':
        s.style.underline = param !== 0;
        return;
      case 'ulnone':
        s.style.underline = false;
        return;
      case 'cf':
        s.colorIndex = param;
        s.style.color = param === undefined ? undefined : this.colors[param];
        return;
      case 'plain':
        s.style = { ...PLAIN_STYLE };
        s.colorIndex = undefined;
        s.fontIndex = undefined;
        return;
      case 'pard':
        s.align = 'left';
        this.current.align = this.current.runs.length === 0 ? 'left' : this.current.align;
        return;
      case 'ql':
      case 'qj':
      case 'qc':
      case 'qr':
        s.align = word === 'qc' ? 'centre' : word === 'qr' ? 'right' : 'left';
        this.current.align = s.align;
        return;
      case 'vertalt':
        this.vertical = 'top';
        return;
      case 'vertalc':
        this.vertical = 'centre';
        return;
      case 'vertalb':
        this.vertical = 'bottom';
        return;
      case 'par':
        if (s.destination === 'text') {
          this.endParagraph();
        }
        return;
      case 'line':
        this.emit('\n');
        return;
      case 'uc':
        s.unicodeSkip = Math.max(0, Math.min(param ?? 1, 8));
        return;
      case 'u':
        if (param !== undefined) {
          const code = param < 0 ? param + 65536 : param;
          this.emit(String.fromCharCode(code & 0xffff));
          this.skipChars = s.unicodeSkip;
        }
        return;
      default: {
        const symbol = Object.hasOwn(SYMBOLS, word) ? SYMBOLS[word] : undefined;
        if (symbol !== undefined) {
          this.emit(symbol);
        }
      }
    }
  }

  private emit(text: string): void {
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

  private endParagraph(): void {
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

/** Parses an RTF-subset text layer. Throws {@link TextLayerError} when it exceeds the limits. */
export function parseRtf(src: string): StyledText {
  if (src.length > MAX_TEXT_LAYER_LENGTH) {
    throw new TextLayerError(`text layer longer than ${MAX_TEXT_LAYER_LENGTH} characters`);
  }
  return new RtfParser(src).parse();
}
