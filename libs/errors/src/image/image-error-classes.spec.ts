import { IMAGE_ERROR_CODES, IMAGE_ERRORS, ImageErrorClass, imageErrorDefinition, isImageErrorCode, type ImageErrorCode } from './image-error-classes';
import { defaultImageStatuses, imageErrorStatus, isOverloadError } from './image-error-status';

/** code, class, level-0 title (image-serving.md §5.2, §5.6). */
const EXPECTED: Array<[ImageErrorCode, ImageErrorClass, string]> = [
  ['IMG_NOT_FOUND', 1, 'Image not found'],
  ['IMG_CATALOG_NOT_FOUND', 1, 'Image not found'],
  ['IMG_INVALID_COMMAND_VALUE', 2, 'Invalid request'],
  ['IMG_UNKNOWN_FORMAT', 2, 'Invalid request'],
  ['IMG_FIT_WITHOUT_SIZE', 2, 'Invalid request'],
  ['IMG_FIT_WITH_TMB', 2, 'Invalid request'],
  ['IMG_LAYER_NAME_INVALID', 2, 'Invalid request'],
  ['IMG_LOCALE_UNRESOLVED', 2, 'Invalid request'],
  ['IMG_JPEG_SIZE_UNMET', 2, 'Invalid request'],
  ['IMG_TYPE_MISMATCH', 2, 'Invalid request'],
  ['IMG_NESTING_LIMIT', 2, 'Invalid request'],
  ['IMG_UNSUPPORTED_REQUEST', 2, 'Invalid request'],
  ['IMG_TOO_LARGE', 2, 'Image too large'],
  ['IMG_SOURCE_TOO_LARGE', 2, 'Image too large'],
  ['IMG_REQUEST_LOCKED', 2, 'Request refused'],
  ['IMG_OBFUSCATION_FAILED', 2, 'Request refused'],
  ['IMG_REQUEST_REFUSED', 2, 'Request refused'],
  ['IMG_RULE_REJECTED', 2, 'Request refused'],
  ['IMG_ADDRESS_REFUSED', 2, 'Request refused'],
  ['IMG_CORRUPT_SOURCE', 3, 'Server error'],
  ['IMG_DECODE_FAILED', 3, 'Server error'],
  ['IMG_ENCODE_FAILED', 3, 'Server error'],
  ['IMG_SAVE_FAILED', 3, 'Server error'],
  ['IMG_REDIRECT_FAILED', 3, 'Server error'],
  ['IMG_INTERNAL', 3, 'Server error'],
  ['IMG_OVERLOADED', 4, 'Server busy'],
];

describe('IMAGE_ERRORS', () => {
  it('holds exactly the expected codes', () => {
    expect([...IMAGE_ERROR_CODES].sort()).toEqual(EXPECTED.map(([c]) => c).sort());
  });

  describe.each(EXPECTED)('%s', (code, errorClass, title) => {
    const definition = imageErrorDefinition(code);

    it(`is class ${errorClass} titled "${title}"`, () => {
      expect(definition).toMatchObject({ errorClass, title });
      expect(code).toMatch(/^IMG_[A-Z_]+$/);
      expect(definition.description).toMatch(/^\S.{10,}\.$/);
    });

    it('has a default status of 403, or 503 when overloaded', () => {
      expect(imageErrorStatus(code)).toBe(errorClass === 4 ? 503 : 403);
      expect(imageErrorStatus(code)).toBe(defaultImageStatuses[errorClass]);
    });

    it('offers a default image only for missing images', () => {
      expect(definition.defaultImage).toBe(code === 'IMG_NOT_FOUND');
    });
  });

  it('has the four classes of the access log', () => {
    expect(ImageErrorClass).toEqual({ NotFound: 1, Usage: 2, Server: 3, Overload: 4 });
    expect(defaultImageStatuses).toEqual({ 1: 403, 2: 403, 3: 403, 4: 503 });
  });

  it('recognises codes only', () => {
    expect(isImageErrorCode('IMG_NOT_FOUND')).toBe(true);
    expect(isImageErrorCode('img_not_found')).toBe(false);
    expect(isImageErrorCode('hasOwnProperty')).toBe(false);
  });

  it('never uses an error image for overload or failed redirects', () => {
    expect(IMAGE_ERROR_CODES.filter((c) => !IMAGE_ERRORS[c].errorImage)).toEqual(['IMG_REDIRECT_FAILED', 'IMG_OVERLOADED']);
  });
});

describe('imageErrorStatus with server-wide overrides', () => {
  const overrides = { notFound: 404, usage: 400, server: 500 } as const;

  it.each([
    ['IMG_NOT_FOUND', 404],
    ['IMG_CATALOG_NOT_FOUND', 404],
    ['IMG_INVALID_COMMAND_VALUE', 400],
    ['IMG_FIT_WITH_TMB', 400],
    ['IMG_TOO_LARGE', 403], // fixed by the spec
    ['IMG_REQUEST_LOCKED', 403], // refused stays forbidden
    ['IMG_DECODE_FAILED', 500],
    ['IMG_INTERNAL', 500],
    ['IMG_OVERLOADED', 503],
  ] as const)('%s -> %d', (code, status) => {
    expect(imageErrorStatus({ code }, overrides)).toBe(status);
  });

  it('applies each switch independently', () => {
    expect(imageErrorStatus('IMG_NOT_FOUND', { usage: 400 })).toBe(403);
    expect(imageErrorStatus('IMG_UNKNOWN_FORMAT', { usage: 400 })).toBe(400);
  });

  it('knows overload', () => {
    expect(isOverloadError({ code: 'IMG_OVERLOADED' })).toBe(true);
    expect(isOverloadError({ code: 'IMG_INTERNAL' })).toBe(false);
  });
});
