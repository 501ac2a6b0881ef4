/**
 * A small, strict XML reader for rule-set files (image-serving.md §4.1 `RuleSetFile`).
 *
 * The workspace has no XML parser among its own dependencies (`sax` is only a transitive one of
 * build tools), and a rule set needs little: elements, attributes, text, CDATA, comments and
 * processing instructions. So this reads exactly that and refuses the rest:
 * - `<!DOCTYPE …>` is refused outright: no DTDs, so no external or recursive entities
 *   ("billion laughs", XXE) can exist;
 * - entities: the five predefined ones and character references (`&#65;` `&#x41;`); any other
 *   `&name;` is an error, as is a bare `&` or `<` in text;
 * - well-formedness: one root element, matching end tags, unique attribute names, quoted values;
 * - bounds: nesting ≤ {@link MAX_DEPTH}, element count ≤ {@link MAX_ELEMENTS}.
 * Errors are {@link XmlSyntaxError}s with the 1-based line.
 */

export const MAX_DEPTH = 32;
export const MAX_ELEMENTS = 100_000;

/** An element: `name` as written, attributes by name as written, children in order. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlNode[];
  readonly line: number;
}

export type XmlNode = XmlElement | { readonly text: string; readonly line: number };

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'XmlSyntaxError';
  }
}

const NAME = /[A-Za-z_:][A-Za-z0-9_:.-]*/y;
const SPACE = /[ \t\r\n]*/y;
const PREDEFINED: ReadonlyMap<string, string> = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);

/** Parses a whole document and returns its root element. */
export function parseXml(text: string): XmlElement {
  return new XmlReader(text).document();
}

class XmlReader {
  private pos = 0;
  private elements = 0;

  constructor(private readonly src: string) {}

  private line(at = this.pos): number {
    let n = 1;
    for (let i = 0; i < at && i < this.src.length; i++) {
      if (this.src.charCodeAt(i) === 10) {
        n++;
      }
    }
    return n;
  }

  private fail(message: string, at = this.pos): never {
    throw new XmlSyntaxError(message, this.line(at));
  }

  private startsWith(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  private skipSpace(): void {
    SPACE.lastIndex = this.pos;
    SPACE.exec(this.src);
    this.pos = SPACE.lastIndex;
  }

  private name(): string {
    NAME.lastIndex = this.pos;
    const m = NAME.exec(this.src);
    if (m === null) {
      return this.fail('expected a name');
    }
    this.pos = NAME.lastIndex;
    return m[0];
  }

  /** Comments, processing instructions and white space between top-level constructs. */
  private misc(): void {
    for (;;) {
      this.skipSpace();
      if (this.startsWith('<!--')) {
        this.comment();
      } else if (this.startsWith('<?')) {
        this.processingInstruction();
      } else if (this.startsWith('<!DOCTYPE') || this.startsWith('<!doctype')) {
        this.fail('DOCTYPE is not allowed in a rule set (no DTDs, no custom entities)');
      } else {
        return;
      }
    }
  }

  document(): XmlElement {
    if (this.src.charCodeAt(0) === 0xfeff) {
      this.pos = 1;
    }
    this.misc();
    if (!this.startsWith('<')) {
      this.fail('expected the root element');
    }
    const root = this.element(1);
    this.misc();
    if (this.pos < this.src.length) {
      this.fail('content after the root element');
    }
    return root;
  }

  private comment(): void {
    const end = this.src.indexOf('-->', this.pos + 4);
    if (end < 0) {
      this.fail('unclosed comment');
    }
    this.pos = end + 3;
  }

  private processingInstruction(): void {
    const end = this.src.indexOf('?>', this.pos + 2);
    if (end < 0) {
      this.fail('unclosed processing instruction');
    }
    this.pos = end + 2;
  }

  private element(depth: number): XmlElement {
    if (depth > MAX_DEPTH) {
      this.fail(`elements nested deeper than ${MAX_DEPTH}`);
    }
    if (++this.elements > MAX_ELEMENTS) {
      this.fail(`more than ${MAX_ELEMENTS} elements`);
    }
    const line = this.line();
    this.pos++; // '<'
    const name = this.name();
    const attributes = new Map<string, string>();
    const empty = this.startTagRest(name, attributes);
    const children: XmlNode[] = [];
    if (!empty) {
      this.content(name, depth, children);
    }
    return { name, attributes, children, line };
  }

  /** The attributes and end of a start tag, after its name; `true` when it is an empty-element tag `/>`. */
  private startTagRest(name: string, attributes: Map<string, string>): boolean {
    for (;;) {
      const before = this.pos;
      this.skipSpace();
      if (this.startsWith('/>')) {
        this.pos += 2;
        return true;
      }
      if (this.startsWith('>')) {
        this.pos++;
        return false;
      }
      if (this.pos === before) {
        this.fail(`expected white space, '>' or '/>' in <${name}>`);
      }
      this.attribute(attributes);
    }
  }

  /** `name = "value"` (or single quotes), added to `attributes`. */
  private attribute(attributes: Map<string, string>): void {
    const attrAt = this.pos;
    const attr = this.name();
    this.skipSpace();
    if (this.src[this.pos] !== '=') {
      this.fail(`attribute ${attr} has no value`);
    }
    this.pos++;
    this.skipSpace();
    const quote = this.src[this.pos];
    if (quote !== '"' && quote !== "'") {
      this.fail(`the value of ${attr} must be quoted`);
    }
    const end = this.src.indexOf(quote, this.pos + 1);
    if (end < 0) {
      this.fail(`unclosed value of ${attr}`);
    }
    const raw = this.src.slice(this.pos + 1, end);
    if (raw.includes('<')) {
      this.fail(`'<' in the value of ${attr}`);
    }
    if (attributes.has(attr)) {
      this.fail(`attribute ${attr} appears twice`, attrAt);
    }
    attributes.set(attr, this.decode(raw, this.pos + 1));
    this.pos = end + 1;
  }

  /** Everything up to and including the end tag `</name>`, children added to `children`. */
  private content(name: string, depth: number, children: XmlNode[]): void {
    for (;;) {
      if (this.pos >= this.src.length) {
        this.fail(`<${name}> is not closed`);
      }
      if (this.startsWith('</')) {
        this.pos += 2;
        const closing = this.name();
        this.skipSpace();
        if (closing !== name || this.src[this.pos] !== '>') {
          this.fail(`expected </${name}>`);
        }
        this.pos++;
        return;
      }
      this.contentItem(depth, children);
    }
  }

  /** One comment, CDATA section, processing instruction, child element or run of text. */
  private contentItem(depth: number, children: XmlNode[]): void {
    if (this.startsWith('<!--')) {
      this.comment();
    } else if (this.startsWith('<![CDATA[')) {
      const end = this.src.indexOf(']]>', this.pos + 9);
      if (end < 0) {
        this.fail('unclosed CDATA section');
      }
      children.push({ text: this.src.slice(this.pos + 9, end), line: this.line() });
      this.pos = end + 3;
    } else if (this.startsWith('<?')) {
      this.processingInstruction();
    } else if (this.startsWith('<!')) {
      this.fail('DOCTYPE and other declarations are not allowed inside elements');
    } else if (this.startsWith('<')) {
      children.push(this.element(depth + 1));
    } else {
      const end = this.src.indexOf('<', this.pos);
      const stop = end < 0 ? this.src.length : end;
      children.push({ text: this.decode(this.src.slice(this.pos, stop), this.pos), line: this.line() });
      this.pos = stop;
    }
  }

  /** Replaces entity and character references; `at` is where `raw` starts, for error lines. */
  private decode(raw: string, at: number): string {
    if (!raw.includes('&')) {
      return raw;
    }
    return raw.replace(/&([^;&\s]{0,10});?/g, (whole: string, ref: string, offset: number) => {
      if (!whole.endsWith(';')) {
        this.fail(`'&' must start an entity reference such as &amp;`, at + offset);
      }
      const predefined = PREDEFINED.get(ref);
      if (predefined !== undefined) {
        return predefined;
      }
      const m = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(ref);
      if (m === null) {
        return this.fail(`unknown entity &${ref}; (only &lt; &gt; &amp; &quot; &apos; and &#…; are defined)`, at + offset);
      }
      const code = m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        return this.fail(`character reference &${ref}; is not a valid XML character`, at + offset);
      }
      return String.fromCodePoint(code);
    });
  }
}
