/**
 * A parser for the small RTF subset error templates and text layers need (image-serving.md §5.4):
 * `{\rtf1 … }` with `\fs<halfpoints>`, `\b`/`\b0`, `\i`/`\i0`, `\ul`/`\ulnone`, `\cf<n>` with a
 * `{\colortbl …}`, `\f<n>` with a `{\fonttbl …}`, `\ql`/`\qc`/`\qr`/`\qj`, `\pard`, `\plain`,
 * `\par`, `\line`, `\tab`, `\vertalt`/`\vertalc`/`\vertalb`, `\'hh` (Windows-1252), `\uN` with
 * `\ucN`, the escapes `\\ \{ \}`, and groups that scope formatting. Other control words and
 * ignorable destinations (`{\*\…}`, `\stylesheet`, `\info`, `\pict` …) are skipped, so RTF saved by
 * an editor still renders its text. Unbalanced braces are tolerated; size and nesting are bounded.
 */
import { MAX_FONT_HALF_POINTS, MAX_TEXT_LAYER_LENGTH, RtfDocument, TextLayerError } from './rtf-document';
import { cp1252, SKIPPED_DESTINATIONS, SYMBOLS } from './rtf-tables';
import { PLAIN_STYLE, type StyledText } from './styled-text';

export { MAX_FONT_HALF_POINTS, MAX_GROUP_DEPTH, MAX_TEXT_LAYER_LENGTH, TextLayerError } from './rtf-document';

/** True when a text layer value is RTF rather than plain text. */
export function isRtf(text: string): boolean {
  return /^\s*\{\\rtf/.test(text);
}

class RtfParser extends RtfDocument {
  private pos = 0;

  constructor(private readonly src: string) {
    super();
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
    return this.document();
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
    this.controlSymbol(next);
  }

  private controlSymbol(next: string): void {
    switch (next) {
      case '\\':
      case '{':
      case '}':
        this.emit(next);
        return;
      case "'": {
        const hex = this.src.slice(this.pos, this.pos + 2);
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
    if (SKIPPED_DESTINATIONS.has(word)) {
      this.state.destination = 'skip';
      return;
    }
    if (this.tableWord(word, param) || this.styleWord(word, param) || this.paragraphWord(word) || this.flowWord(word, param)) {
      return;
    }
    const symbol = Object.hasOwn(SYMBOLS, word) ? SYMBOLS[word] : undefined;
    if (symbol !== undefined) {
      this.emit(symbol);
    }
  }

  /** Font and colour tables: `\fonttbl`, `\colortbl`, `\red`/`\green`/`\blue`, `\f`. */
  private tableWord(word: string, param: number | undefined): boolean {
    const s = this.state;
    switch (word) {
      case 'fonttbl':
      case 'colortbl':
        s.destination = word;
        return true;
      case 'red':
      case 'green':
      case 'blue':
        if (s.destination === 'colortbl') {
          this.pendingColor[word] = Math.max(0, Math.min(255, param ?? 0));
          this.pendingColor.any = true;
        }
        return true;
      case 'f':
        if (s.destination === 'fonttbl') {
          this.fontEntry.index = param;
        } else {
          s.fontIndex = param;
          s.style.fontFamily = param === undefined ? undefined : this.fonts.get(param);
        }
        return true;
      default:
        return false;
    }
  }

  /** Character formatting: `\fs`, `\b`, `\i`, `\ul`, `\ulnone`, `\cf`, `\plain`. */
  private styleWord(word: string, param: number | undefined): boolean {
    const s = this.state;
    switch (word) {
      case 'fs':
        s.style.sizeHalfPoints = param === undefined || param <= 0 ? undefined : Math.min(param, MAX_FONT_HALF_POINTS);
        return true;
      case 'b':
      case 'i':
      case 'ul':
        s.style[word === 'b' ? 'bold' : word === 'i' ? 'italic' : 'underline'] = param !== 0;
        return true;
      case 'ulnone':
        s.style.underline = false;
        return true;
      case 'cf':
        s.colorIndex = param;
        s.style.color = param === undefined ? undefined : this.colors[param];
        return true;
      case 'plain':
        s.style = { ...PLAIN_STYLE };
        s.colorIndex = undefined;
        s.fontIndex = undefined;
        return true;
      default:
        return false;
    }
  }

  /** Paragraph alignment: `\pard`, `\ql`/`\qj`/`\qc`/`\qr`, `\vertalt`/`\vertalc`/`\vertalb`. */
  private paragraphWord(word: string): boolean {
    const s = this.state;
    switch (word) {
      case 'pard':
        s.align = 'left';
        this.current.align = this.current.runs.length === 0 ? 'left' : this.current.align;
        return true;
      case 'ql':
      case 'qj':
      case 'qc':
      case 'qr':
        s.align = word === 'qc' ? 'centre' : word === 'qr' ? 'right' : 'left';
        this.current.align = s.align;
        return true;
      case 'vertalt':
      case 'vertalc':
      case 'vertalb':
        this.vertical = word === 'vertalt' ? 'top' : word === 'vertalc' ? 'centre' : 'bottom';
        return true;
      default:
        return false;
    }
  }

  /** Text flow: `\par`, `\line`, `\uc`, `\u`. */
  private flowWord(word: string, param: number | undefined): boolean {
    const s = this.state;
    switch (word) {
      case 'par':
        if (s.destination === 'text') {
          this.endParagraph();
        }
        return true;
      case 'line':
        this.emit('\n');
        return true;
      case 'uc':
        s.unicodeSkip = Math.max(0, Math.min(param ?? 1, 8));
        return true;
      case 'u':
        if (param !== undefined) {
          const code = param < 0 ? param + 65536 : param;
          this.emit(String.fromCharCode(code & 0xffff));
          this.skipChars = s.unicodeSkip;
        }
        return true;
      default:
        return false;
    }
  }
}

/** Parses an RTF-subset text layer. Throws {@link TextLayerError} when it exceeds the limits. */
export function parseRtf(src: string): StyledText {
  if (src.length > MAX_TEXT_LAYER_LENGTH) {
    throw new TextLayerError(`text layer longer than ${MAX_TEXT_LAYER_LENGTH} characters`);
  }
  return new RtfParser(src).parse();
}
