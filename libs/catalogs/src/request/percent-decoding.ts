const HEX = /^[0-9a-fA-F]{2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * %-decodes one path element or command value (§1.2). `+` stays `+` (IS uses it literally).
 * `strict` (request text): a `%` not followed by two hex digits makes the value invalid and
 * `null` is returned. `lenient` (catalog data, which is not HTTP-encoded by rule, §4.1): such a
 * `%` is kept literally. Decoded bytes are read as UTF-8, or as ISO-8859-1 when they are not
 * valid UTF-8 (legacy Latin-1 URLs).
 */
export function percentDecode(s: string, mode: 'strict' | 'lenient'): string | null {
  if (!s.includes('%')) {
    return s;
  }
  const bytes: number[] = [];
  let out = '';
  let hasBytes = false;
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c === 0x25 /* % */) {
      const hex = s.slice(i + 1, i + 3);
      if (HEX.test(hex)) {
        bytes.push(parseInt(hex, 16));
        hasBytes = true;
        i += 3;
        continue;
      }
      if (mode === 'strict') {
        return null;
      }
    }
    // Keep raw characters as their UTF-8 bytes so a mix of raw and encoded text decodes as one.
    const cp = s.codePointAt(i) ?? c;
    const ch = String.fromCodePoint(cp);
    for (const b of Buffer.from(ch, 'utf8')) {
      bytes.push(b);
    }
    i += ch.length;
  }
  if (!hasBytes) {
    return s;
  }
  const buf = Uint8Array.from(bytes);
  try {
    out = utf8.decode(buf);
  } catch {
    out = Buffer.from(buf).toString('latin1');
  }
  return out;
}

/** Characters escaped when a value is written back into a request string (`req=resolve`). */
const UNSAFE = /[^!-~]|[%&=+#?"<>\\^`{|}]/gu;

/**
 * %-encodes a decoded value so that it reads back to the same value: `%`, `&`, `=`, `+`, `#`,
 * `?`, whitespace, quotes, control and non-ASCII characters (as UTF-8).
 */
export function percentEncodeValue(s: string): string {
  return s.replace(UNSAFE, (ch) =>
    [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}
