/** Lookup tables of the RTF subset parser (`rtf-subset.ts`). */

/** Destinations whose content is never drawn (`{\stylesheet …}`, `{\info …}`, `{\pict …}` …). */
export const SKIPPED_DESTINATIONS = new Set([
  'stylesheet', 'info', 'pict', 'header', 'footer', 'footnote', 'field', 'fldinst', 'object', 'listtable',
  'listoverridetable', 'rsidtbl', 'generator', 'themedata', 'colorschememapping', 'latentstyles', 'datastore', 'xmlnstbl',
]);

/** Control words that stand for one character. */
export const SYMBOLS: Readonly<Record<string, string>> = {
  emdash: '\u2014', endash: '\u2013', bullet: '\u2022', lquote: '\u2018', rquote: '\u2019', ldblquote: '\u201c', rdblquote: '\u201d',
  emspace: '\u2003', enspace: '\u2002', tab: '\t',
};

/** Windows-1252 differs from Latin-1 only in 0x80-0x9F; Node's small-ICU builds do not decode it. */
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** The character of a `\'hh` byte (Windows-1252). */
export function cp1252(byte: number): string {
  return byte >= 0x80 && byte < 0xa0 ? CP1252_HIGH.charAt(byte - 0x80) : String.fromCharCode(byte);
}
