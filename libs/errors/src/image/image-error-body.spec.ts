import fc from 'fast-check';
import { IMAGE_ERROR_CODES } from './image-error-classes';
import { renderImageErrorBody } from './image-error-body';
import { imageErrorMessage, type ErrorDetailLevel } from './image-error-message';
import { ImageServingError, toImageServingError, UNCLASSIFIED_IMAGE_ERROR_DETAIL } from './image-serving-error';
import { NO_CACHE_HEADERS } from './no-cache-headers';
import type { PropertyFormat } from './property-formats';

const missing = new ImageServingError('IMG_NOT_FOUND', 'Image not found: images/cat/missing.jpg', {
  path: 'images/cat/missing.jpg',
});
const badWid = new ImageServingError('IMG_INVALID_COMMAND_VALUE', "wid=abc: 'abc' is not a positive integer", {
  command: 'wid',
  value: 'abc',
});

describe('imageErrorMessage', () => {
  it.each([0, 1] as const)('level %d: title only', (level) => {
    expect(imageErrorMessage(missing, level)).toEqual({ title: 'Image not found', message: 'Image not found' });
  });

  it('level 2: the detail, with the resolved path', () => {
    expect(imageErrorMessage(missing, 2)).toEqual({ title: 'Image not found', message: 'Image not found: images/cat/missing.jpg' });
  });

  it('level 3: adds the stack with its causes', () => {
    const err = new ImageServingError('IMG_DECODE_FAILED', 'Cannot decode images/a.jpg', { cause: new Error('VipsJpeg: premature end') });
    const { stack } = imageErrorMessage(err, 3);
    expect(stack).toMatch(/^ImageServingError: IMG_DECODE_FAILED: Cannot decode images\/a\.jpg\n\s+at /);
    expect(stack).toContain('\nCaused by: Error: VipsJpeg: premature end\n');
  });

  it('falls back to the title when the detail is empty', () => {
    expect(imageErrorMessage(new ImageServingError('IMG_OVERLOADED', ''), 2).message).toBe('Server busy');
  });
});

describe('renderImageErrorBody: exact bodies', () => {
  it.each<[PropertyFormat, ErrorDetailLevel, string, string]>([
    ['text', 0, 'text/plain; charset=UTF-8', 'Image not found'],
    ['text', 1, 'text/plain; charset=UTF-8', 'Image not found'],
    ['text', 2, 'text/plain; charset=UTF-8', 'Image not found\nImage not found: images/cat/missing.jpg'],
    ['json', 0, 'text/javascript; charset=UTF-8', '/*jsonp*/s7jsonError({"message":"Image not found","title":"Image not found"},"");'],
    [
      'json',
      2,
      'text/javascript; charset=UTF-8',
      '/*jsonp*/s7jsonError({"message":"Image not found: images/cat/missing.jpg","title":"Image not found"},"");',
    ],
    ['javascript', 0, 'text/javascript; charset=UTF-8', "error.title='Image not found'\nerror.message='Image not found'\n"],
    [
      'javascript',
      2,
      'text/javascript; charset=UTF-8',
      "error.title='Image not found'\nerror.message='Image not found: images/cat/missing.jpg'\n",
    ],
    [
      'xml',
      0,
      'text/xml; charset=UTF-8',
      '<?xml version="1.0" encoding="UTF-8" ?>\n<prop-group>\n  <prop-group name="error">\n    <property name="title" value="Image not found" />\n    <property name="message" value="Image not found" />\n  </prop-group>\n</prop-group>\n',
    ],
    [
      'xml',
      2,
      'text/xml; charset=UTF-8',
      '<?xml version="1.0" encoding="UTF-8" ?>\n<prop-group>\n  <prop-group name="error">\n    <property name="title" value="Image not found" />\n    <property name="message" value="Image not found: images/cat/missing.jpg" />\n  </prop-group>\n</prop-group>\n',
    ],
  ])('%s at level %d', (format, level, contentType, body) => {
    expect(renderImageErrorBody(missing, { format, level })).toEqual({ contentType, body });
  });

  it('escapes quotes per format and echoes the JSONP request id', () => {
    expect(renderImageErrorBody(badWid, { format: 'json', level: 2, requestId: 'r7' }).body).toBe(
      `/*jsonp*/s7jsonError({"message":"wid=abc: 'abc' is not a positive integer","title":"Invalid request"},"r7");`,
    );
    expect(renderImageErrorBody(badWid, { format: 'javascript', level: 2 }).body).toBe(
      "error.title='Invalid request'\nerror.message='wid=abc: ''abc'' is not a positive integer'\n",
    );
    expect(renderImageErrorBody(badWid, { format: 'xml', level: 2 }).body).toContain(
      '<property name="message" value="wid=abc: &apos;abc&apos; is not a positive integer" />',
    );
  });

  it('shows the stack at level 3 in text only', () => {
    const text = renderImageErrorBody(badWid, { format: 'text', level: 3 }).body;
    expect(text.startsWith("Invalid request\nwid=abc: 'abc' is not a positive integer\nImageServingError: IMG_INVALID_COMMAND_VALUE")).toBe(true);
    for (const format of ['json', 'javascript', 'xml'] as const) {
      expect(renderImageErrorBody(badWid, { format, level: 3 })).toEqual(renderImageErrorBody(badWid, { format, level: 2 }));
    }
  });
});

describe('toImageServingError', () => {
  it('keeps image errors and hides unknown ones behind IMG_INTERNAL', () => {
    expect(toImageServingError(missing)).toBe(missing);
    const wrapped = toImageServingError(new Error('EACCES: /var/secret/catalog.ini'));
    expect(wrapped).toMatchObject({ code: 'IMG_INTERNAL', detail: UNCLASSIFIED_IMAGE_ERROR_DETAIL, title: 'Server error' });
    expect(renderImageErrorBody(wrapped, { format: 'text', level: 2 }).body).toBe(`Server error\n${UNCLASSIFIED_IMAGE_ERROR_DETAIL}`);
    expect(renderImageErrorBody(wrapped, { format: 'text', level: 3 }).body).toContain('Caused by: Error: EACCES: /var/secret/catalog.ini');
  });
});

describe('NO_CACHE_HEADERS', () => {
  it('forbids caching everywhere', () => {
    expect(NO_CACHE_HEADERS).toEqual({
      'Cache-Control': 'no-cache, no-store, max-age=0',
      Expires: 'Thu, 01 Jan 1970 00:00:00 GMT',
      Pragma: 'no-cache',
    });
    expect(Date.parse(NO_CACHE_HEADERS.Expires)).toBeLessThan(Date.now());
    expect(Object.isFrozen(NO_CACHE_HEADERS)).toBe(true);
  });
});

// --- properties ----------------------------------------------------------------------------

const nasty = fc.constantFrom('</script', '</SCRIPT>', '<!--', '\n', '\r', '\u2028', '\u2029', "'", '"', '\\', '&', '\t', '\u0000', '\ud800', '\udfff', '*/');
const text = fc.string({ unit: fc.oneof(nasty, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 60 });
const codes = fc.constantFrom(...IMAGE_ERROR_CODES);
const structuredFormats = fc.constantFrom<PropertyFormat>('json', 'javascript', 'xml');

function decodeJavascriptValue(v: string): string {
  return v.replace(/''|\\(u[0-9A-F]{4}|n|r|t|\\)/g, (m, esc: string | undefined) => {
    if (m === "''") {
      return "'";
    }
    switch (esc) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case '\\':
        return '\\';
      default:
        return String.fromCharCode(parseInt((esc ?? 'u0000').slice(1), 16));
    }
  });
}

function decodeXmlAttribute(v: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return v.replace(/&(#\d+|[a-z]+);/g, (_m, ref: string) => (ref.startsWith('#') ? String.fromCharCode(Number(ref.slice(1))) : (named[ref] ?? '')));
}

const xmlRepresentable = (s: string): string =>
  // eslint-disable-next-line no-control-regex -- mirrors what XML 1.0 cannot carry
  s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

describe('renderImageErrorBody: properties', () => {
  it('level 0/1 bodies never contain the detail, path, value, stack or cause, in any format', () => {
    fc.assert(
      fc.property(codes, text, fc.constantFrom<PropertyFormat>('text', 'json', 'javascript', 'xml'), fc.constantFrom<0 | 1>(0, 1), (code, secret, format, level) => {
        const err = new ImageServingError(code, `SECRET-detail ${secret}`, {
          path: `/srv/SECRET-path/${secret}`,
          command: 'wid',
          value: `SECRET-value${secret}`,
          cause: new Error(`SECRET-cause ${secret}`),
        });
        const { body } = renderImageErrorBody(err, { format, level });
        expect(body).not.toContain('SECRET');
        expect(body).not.toMatch(/\bat \S+ \(|ImageServingError|Caused by/);
        expect(body).toEqual(renderImageErrorBody(new ImageServingError(code, 'other'), { format, level }).body);
      }),
    );
  });

  it('no message or request id can break out of the script, the string or the line', () => {
    fc.assert(
      fc.property(codes, text, text, structuredFormats, (code, message, requestId, format) => {
        const { body } = renderImageErrorBody(new ImageServingError(code, message), { format, level: 2, requestId });
        expect(body).not.toMatch(/<\/script/i);
        expect(body).not.toMatch(/[\u2028\u2029]/);
        const expected = message === '' ? new ImageServingError(code, '').title : message;
        if (format === 'json') {
          expect(body).not.toMatch(/[\r\n]/);
          const m = /^\/\*jsonp\*\/s7jsonError\((\{.*\}),("(?:[^"\\]|\\.)*")\);$/s.exec(body);
          expect(m).not.toBeNull();
          expect(JSON.parse(m?.[1] ?? '')).toEqual({ message: expected, title: new ImageServingError(code, '').title });
          expect(JSON.parse(m?.[2] ?? '')).toBe(requestId);
        } else if (format === 'javascript') {
          const lines = body.split('\n');
          expect(lines).toHaveLength(3);
          const m = /^error\.message='((?:[^']|'')*)'$/.exec(lines[1] ?? '');
          expect(m).not.toBeNull();
          expect(decodeJavascriptValue(m?.[1] ?? '')).toBe(expected);
        } else {
          expect(body.split('\n')).toHaveLength(8);
          const m = /<property name="message" value="([^"<>]*)" \/>/.exec(body);
          expect(m).not.toBeNull();
          expect(decodeXmlAttribute(m?.[1] ?? '')).toBe(xmlRepresentable(expected));
        }
      }),
      { numRuns: 500 },
    );
  });
});
