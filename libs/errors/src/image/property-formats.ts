/**
 * Writers for Image Serving property replies (image-serving.md §2.1), shared by successful
 * `req=props|imageprops|exists|catalogprops|validate...` replies and by error bodies (§5.6).
 * Every writer escapes so that no value can end a string, a line, an attribute or a script.
 */
import { assertUnreachable } from '../shared/assert-unreachable';

/** The `req=<type>,<format>` format keywords for property replies. */
export type PropertyFormat = 'text' | 'javascript' | 'xml' | 'json';

/** One property: key (`image.width`) and value (always a string on the wire). */
export type Property = readonly [key: string, value: string];

/** Options of {@link formatProperties}. */
export interface PropertyFormatOptions {
  /** `json` only: the `id=` request id echoed as the second JSONP argument (`""` when absent). */
  requestId?: string;
  /** `json` only: the `handler=` callback name; ignored unless it is `[A-Za-z0-9]+`. Default `s7jsonResponse`. */
  handler?: string;
  /** `text` only: the date written in the second comment line; default now. Shown in UTC. */
  date?: Date;
  /** `text` only: the first comment line; default `S7Z OK`. */
  header?: string;
  /**
   * `xml` only: the character encoding named in the declaration and the Content-Type charset
   * (default UTF-8). The body stays a string: {@link encodePropertyBody} turns it into those bytes.
   */
  xmlEncoding?: XmlEncoding;
}

/** Character encodings of `xml` property replies (`req=userdata,xml,<enc>`, §2.1). */
export const XML_ENCODINGS = ['UTF-8', 'UTF-16', 'UTF-16LE', 'UTF-16BE', 'ISO-8859-1'] as const;

/** One of {@link XML_ENCODINGS}. */
export type XmlEncoding = (typeof XML_ENCODINGS)[number];

/** The encoding a `req=` value names (case-insensitive; `UTF8`, `UTF16`, `LATIN1` too), or undefined. */
export function xmlEncodingOf(name: string): XmlEncoding | undefined {
  const n = name.trim().toUpperCase().replace(/^UTF(?=\d)/, 'UTF-');
  const canonical = n === 'LATIN1' || n === 'ISO8859-1' || n === 'ISO_8859_1' ? 'ISO-8859-1' : n;
  return XML_ENCODINGS.find((e) => e === canonical);
}

/**
 * The bytes of a property body in `encoding`, as Java writes them: `UTF-16` is big-endian with a
 * byte-order mark, `UTF-16LE`/`UTF-16BE` have none. ISO-8859-1 cannot hold characters above U+00FF:
 * they become character references (`&#x4E2D;`), which is lossless in XML, where every such
 * character of a property document sits in an attribute value.
 */
export function encodePropertyBody(body: string, encoding: XmlEncoding): Buffer {
  switch (encoding) {
    case 'UTF-8':
      return Buffer.from(body, 'utf8');
    case 'UTF-16LE':
      return Buffer.from(body, 'utf16le');
    case 'UTF-16BE':
      return Buffer.from(body, 'utf16le').swap16();
    case 'UTF-16':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(body, 'utf16le').swap16()]);
    case 'ISO-8859-1':
      return Buffer.from(body.replace(/[\u0100-\u{10ffff}]/gu, (ch) => `&#x${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase()};`), 'latin1');
    default:
      return assertUnreachable(encoding, 'xml encoding');
  }
}

/** A rendered body and its media type. */
export interface FormattedBody {
  /** Value for the `Content-Type` header (always UTF-8). */
  contentType: string;
  /** Response body. */
  body: string;
}

/** Media type per format (§2: json is JSONP, hence JavaScript). */
export const PROPERTY_CONTENT_TYPES: Readonly<Record<PropertyFormat, string>> = Object.freeze({
  text: 'text/plain; charset=UTF-8',
  javascript: 'text/javascript; charset=UTF-8',
  xml: 'text/xml; charset=UTF-8',
  json: 'text/javascript; charset=UTF-8',
});

/** Default JSONP callback for successful replies. */
export const DEFAULT_JSONP_HANDLER = 's7jsonResponse';

const hex4 = (c: number): string => c.toString(16).toUpperCase().padStart(4, '0');

/**
 * Java `Properties.store` escaping (`saveConvert` with unicode escapes): `\ = : # !` and a
 * leading space (every space in keys) get a backslash, `\t \n \r \f` their escapes, and every
 * other char outside printable ASCII becomes `\uXXXX` (UTF-16 code units, upper-case hex).
 */
export function escapeJavaProperty(text: string, isKey: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ch = text.charAt(i);
    if (c > 61 && c < 127) {
      out += ch === '\\' ? '\\\\' : ch;
      continue;
    }
    switch (ch) {
      case ' ':
        out += i === 0 || isKey ? '\\ ' : ' ';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\f':
        out += '\\f';
        break;
      case '=':
      case ':':
      case '#':
      case '!':
        out += `\\${ch}`;
        break;
      default:
        out += c < 0x20 || c > 0x7e ? `\\u${hex4(c)}` : ch;
    }
  }
  return out;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Java `Date.toString()` in UTC: `Mon Jul 25 17:28:32 UTC 2014`. */
export function javaDateString(date: Date): string {
  const time = `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}`;
  return `${DAYS[date.getUTCDay()] ?? ''} ${MONTHS[date.getUTCMonth()] ?? ''} ${pad2(date.getUTCDate())} ${time} UTC ${date.getUTCFullYear()}`;
}

/**
 * Escapes a value for a single-quoted JavaScript-format line: `'` doubled as the spec says
 * (§2.1), backslash and line breaks (incl. U+2028/2029) escaped, other control chars and `<`
 * as `\uXXXX` so that neither a line nor a surrounding `<script>` can be broken out of.
 */
export function escapeJavascriptValue(text: string): string {
  // eslint-disable-next-line no-control-regex -- escaping control characters is the point
  return text.replace(/[\\'\u0000-\u001f\u007f<>\u2028\u2029]/g, (ch) => {
    switch (ch) {
      case '\\':
        return '\\\\';
      case "'":
        return "''";
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${hex4(ch.charCodeAt(0))}`;
    }
  });
}

// These characters cannot appear in XML 1.0, not even as character references.
const XML_UNREPRESENTABLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
  '\u0085': '&#133;',
  '\u2028': '&#8232;',
  '\u2029': '&#8233;',
};

/**
 * Escapes text for a double-quoted XML attribute. Tab, CR, LF, NEL, U+2028 and U+2029 become
 * character references (normalisation keeps them, and no raw line break ever appears);
 * characters XML 1.0 cannot carry at all (other C0 controls, lone surrogates, U+FFFE/U+FFFF)
 * become U+FFFD.
 */
export function escapeXmlAttribute(text: string): string {
  return text
    .replace(XML_UNREPRESENTABLE, '\ufffd')
    .replace(/[&<>"'\t\n\r\u0085\u2028\u2029]/g, (ch) => (Object.hasOwn(XML_ESCAPES, ch) ? XML_ESCAPES[ch] : undefined) ?? ch);
}

/**
 * `JSON.stringify` made safe inside `<script>` and for pre-ES2019 parsers: `<`, `>`, `&`,
 * U+2028 and U+2029 are written as `\uXXXX` escapes (they can only occur inside strings).
 */
export function scriptSafeJson(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${hex4(ch.charCodeAt(0)).toLowerCase()}`);
}

/** True for a JSONP callback name the server may echo: `[A-Za-z0-9]+` (§2.1). */
export function isSafeJsonpHandler(name: string): boolean {
  return /^[A-Za-z0-9]+$/.test(name);
}

/**
 * `/*jsonp*\/callback(<payload>,"<requestId>");` with script-safe JSON. An unsafe callback name
 * is replaced by `s7jsonResponse` rather than echoed. Payload keys keep their order.
 */
export function jsonp(callback: string, payload: string, requestId = ''): string {
  const name = isSafeJsonpHandler(callback) ? callback : DEFAULT_JSONP_HANDLER;
  return `/*jsonp*/${name}(${payload},${scriptSafeJson(requestId)});`;
}

function jsonObject(props: readonly Property[]): string {
  return `{${props.map(([k, v]) => `${scriptSafeJson(k)}:${scriptSafeJson(v)}`).join(',')}}`;
}

function xmlDocument(props: readonly Property[], encoding: XmlEncoding): string {
  const loose: string[] = [];
  const groups = new Map<string, string[]>();
  for (const [key, value] of props) {
    const dot = key.indexOf('.');
    if (dot < 0) {
      loose.push(`  <property name="${escapeXmlAttribute(key)}" value="${escapeXmlAttribute(value)}" />`);
      continue;
    }
    const group = key.slice(0, dot);
    const lines = groups.get(group) ?? [];
    lines.push(`    <property name="${escapeXmlAttribute(key.slice(dot + 1))}" value="${escapeXmlAttribute(value)}" />`);
    groups.set(group, lines);
  }
  const grouped = [...groups].flatMap(([name, lines]) => [
    `  <prop-group name="${escapeXmlAttribute(name)}">`,
    ...lines,
    '  </prop-group>',
  ]);
  return [`<?xml version="1.0" encoding="${encoding}" ?>`, '<prop-group>', ...loose, ...grouped, '</prop-group>', ''].join('\n');
}

/**
 * Renders properties in a `req=` format (§2.1):
 * - `text`: Java `Properties.store` output — `#S7Z OK`, `#<date>`, then `key=value` lines;
 * - `javascript`: `key='value'` lines, quotes doubled;
 * - `xml`: `<prop-group>` with one inner group per key prefix (`image.width` → group `image`, name
 *   `width`), declared in `options.xmlEncoding` (default UTF-8; see {@link encodePropertyBody});
 * - `json`: `/*jsonp*\/s7jsonResponse({"key":"value",...},"<id>");` with flat keys and string values.
 * Every line ends with `\n`.
 */
export function formatProperties(
  props: readonly Property[],
  format: PropertyFormat,
  options: PropertyFormatOptions = {},
): FormattedBody {
  const contentType = PROPERTY_CONTENT_TYPES[format];
  switch (format) {
    case 'text': {
      const header = [`#${escapeJavaComment(options.header ?? 'S7Z OK')}`, `#${javaDateString(options.date ?? new Date())}`];
      const lines = props.map(([k, v]) => `${escapeJavaProperty(k, true)}=${escapeJavaProperty(v, false)}`);
      return { contentType, body: [...header, ...lines, ''].join('\n') };
    }
    case 'javascript':
      return { contentType, body: props.map(([k, v]) => `${escapeJavascriptValue(k)}='${escapeJavascriptValue(v)}'\n`).join('') };
    case 'xml': {
      const encoding = options.xmlEncoding ?? 'UTF-8';
      return { contentType: `text/xml; charset=${encoding}`, body: xmlDocument(props, encoding) };
    }
    case 'json':
      return { contentType, body: jsonp(options.handler ?? DEFAULT_JSONP_HANDLER, jsonObject(props), options.requestId ?? '') };
    default:
      return assertUnreachable(format, 'property format');
  }
}

function escapeJavaComment(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (ch) => `\\u${hex4(ch.charCodeAt(0))}`);
}
