/**
 * Image Serving error classes and the catalogue of stable `IMG_*` codes (image-serving.md §5.2).
 * Codes are a contract between the image server, its logs and its tests: never rename one.
 */

/**
 * Outcome classes of Adobe's access log `ProcessingStatus` (0 = ok is not an error):
 * 1 image(s) not found, 2 protocol usage or content error, 3 other server error, 4 refused because of overload.
 */
export const ImageErrorClass = {
  /** The image file or catalog record does not exist (and no default image replaced it). */
  NotFound: 1,
  /** The request is wrong: bad command values, limits exceeded, lock/obfuscation/access refused. */
  Usage: 2,
  /** The server failed: corrupt source, decoder/encoder failure, bug. */
  Server: 3,
  /** Refused because the server is temporarily overloaded. */
  Overload: 4,
} as const;

/** One of the four {@link ImageErrorClass} values. */
export type ImageErrorClass = (typeof ImageErrorClass)[keyof typeof ImageErrorClass];

/** The level-0 titles: short, generic, safe on public servers (image-serving.md §5.6). */
export type ImageErrorTitle =
  | 'Image not found'
  | 'Invalid request'
  | 'Image too large'
  | 'Request refused'
  | 'Server error'
  | 'Server busy';

/**
 * Which server-wide status switch (see `ImageStatusOverrides`) may change the status of a code.
 * `null`: the documented status is fixed (e.g. refused requests stay 403, overload stays 503).
 */
export type ImageStatusSwitch = 'notFound' | 'usage' | 'server' | null;

/** One entry of {@link IMAGE_ERRORS}. All fields are required, so an incomplete entry does not compile. */
export interface ImageErrorDefinition {
  /** Access-log class; decides the default HTTP status. */
  readonly errorClass: ImageErrorClass;
  /** Level-0/1 title; the only text a public server (`ErrorDetail=0`) ever shows. */
  readonly title: ImageErrorTitle;
  /** The server-wide switch that may change this code's status, if any. */
  readonly statusSwitch: ImageStatusSwitch;
  /** True when a default image (`attribute::DefaultImage`, `defaultImage=`) may replace the reply (§5.5). */
  readonly defaultImage: boolean;
  /** True when a configured error image (`attribute::ErrorImage`) may replace the reply (§5.4, §5.8). */
  readonly errorImage: boolean;
  /** One line, in our own words: when the code is raised. */
  readonly description: string;
}

const notFound = { errorClass: 1, title: 'Image not found', statusSwitch: 'notFound' } as const;
const invalid = { errorClass: 2, title: 'Invalid request', statusSwitch: 'usage' } as const;
const tooLarge = { errorClass: 2, title: 'Image too large', statusSwitch: null } as const;
const refused = { errorClass: 2, title: 'Request refused', statusSwitch: null } as const;
const server = { errorClass: 3, title: 'Server error', statusSwitch: 'server' } as const;
const replaceable = { defaultImage: false, errorImage: true } as const;

/** The Image Serving error catalogue, keyed by stable code. */
export const IMAGE_ERRORS = {
  IMG_NOT_FOUND: {
    ...notFound,
    defaultImage: true,
    errorImage: true,
    description: 'The image file or catalog record cannot be found or opened.',
  },
  IMG_CATALOG_NOT_FOUND: {
    ...notFound,
    ...replaceable,
    description: 'A request names a catalog that does not exist where a catalog is required (e.g. req=catalogprops).',
  },
  IMG_INVALID_COMMAND_VALUE: { ...invalid, ...replaceable, description: 'A command value does not parse or is out of range.' },
  IMG_UNKNOWN_FORMAT: { ...invalid, ...replaceable, description: '`fmt=` names a format we do not know.' },
  IMG_FIT_WITHOUT_SIZE: { ...invalid, ...replaceable, description: '`fit=` is given without `wid=` or `hei=`.' },
  IMG_FIT_WITH_TMB: { ...invalid, ...replaceable, description: '`fit=` is given with `req=tmb`.' },
  IMG_LAYER_NAME_INVALID: { ...invalid, ...replaceable, description: 'A layer name is defined twice or referenced but undefined.' },
  IMG_LOCALE_UNRESOLVED: { ...invalid, ...replaceable, description: '`locale=` is unknown and the locale map has no default rule.' },
  IMG_JPEG_SIZE_UNMET: { ...invalid, ...replaceable, description: '`jpegSize=` cannot be met at any quality.' },
  IMG_TYPE_MISMATCH: { ...invalid, ...replaceable, description: '`type=` differs from the record\'s `catalog::UserType`.' },
  IMG_NESTING_LIMIT: { ...invalid, ...replaceable, description: 'Nested requests, `req=set` nesting or the layer count exceed their limit.' },
  IMG_UNSUPPORTED_REQUEST: { ...invalid, ...replaceable, description: 'An unknown `req=` type, or a format that request type does not offer.' },
  IMG_TOO_LARGE: {
    ...tooLarge,
    ...replaceable,
    description: 'The reply exceeds the catalog `MaxPix` or the server `MaxRenderRgnPixels`.',
  },
  IMG_SOURCE_TOO_LARGE: {
    ...tooLarge,
    ...replaceable,
    description: 'The source image has more pixels than allowed (decompression bomb guard, `MaxNonDsfSize`).',
  },
  IMG_REQUEST_LOCKED: { ...refused, ...replaceable, description: 'Request locking is on and the lock suffix is missing or wrong.' },
  IMG_OBFUSCATION_FAILED: { ...refused, ...replaceable, description: 'Request obfuscation is on and the query does not decode.' },
  IMG_REQUEST_REFUSED: {
    ...refused,
    ...replaceable,
    description: 'The path escapes the roots, or direct/default-catalog access is not allowed.',
  },
  IMG_RULE_REJECTED: { ...refused, ...replaceable, description: 'A rule set matched with `OnMatch="error"`.' },
  IMG_ADDRESS_REFUSED: { ...refused, ...replaceable, description: 'The client address fails `ClientAddressFilter` or a rule address filter.' },
  IMG_CORRUPT_SOURCE: { ...server, ...replaceable, description: 'The source image (or profile, font) exists but is corrupt.' },
  IMG_DECODE_FAILED: { ...server, ...replaceable, description: 'The image decoder failed on the source.' },
  IMG_ENCODE_FAILED: { ...server, ...replaceable, description: 'Encoding the reply image failed.' },
  IMG_SAVE_FAILED: { ...server, ...replaceable, description: '`req=saveToFile` failed or timed out.' },
  IMG_REDIRECT_FAILED: {
    ...server,
    defaultImage: false,
    errorImage: false,
    description: 'Redirect-on-error could not reach the secondary server; always a text error (§5.8).',
  },
  IMG_INTERNAL: { ...server, ...replaceable, description: 'An unexpected failure inside the image server.' },
  IMG_OVERLOADED: {
    errorClass: 4,
    title: 'Server busy',
    statusSwitch: null,
    defaultImage: false,
    errorImage: false,
    description: 'Refused because the render queue is full; rendering an error image would only add load.',
  },
} as const satisfies Record<string, ImageErrorDefinition>;

/** Every Image Serving error code. */
export type ImageErrorCode = keyof typeof IMAGE_ERRORS;

/** All image error codes, in catalogue order. */
export const IMAGE_ERROR_CODES: readonly ImageErrorCode[] = Object.freeze(Object.keys(IMAGE_ERRORS) as ImageErrorCode[]);

/** Narrows a string to an image error code. */
export function isImageErrorCode(x: string): x is ImageErrorCode {
  return Object.prototype.hasOwnProperty.call(IMAGE_ERRORS, x);
}

/** The catalogue entry of an image error code. */
export function imageErrorDefinition(code: ImageErrorCode): ImageErrorDefinition {
  return IMAGE_ERRORS[code];
}
