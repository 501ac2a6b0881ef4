import { ImageServingError, UNCLASSIFIED_IMAGE_ERROR_DETAIL } from '@openexp/errors';

/** Node system error codes that mean "the source file cannot be found or opened". */
const MISSING_FILE_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG']);

/** sharp/libvips messages we can classify; the original message stays in the log and the level-3 stack only. */
const SHARP_PATTERNS: ReadonlyArray<{ test: RegExp; code: 'IMG_NOT_FOUND' | 'IMG_SOURCE_TOO_LARGE' | 'IMG_CORRUPT_SOURCE' | 'IMG_DECODE_FAILED'; detail: string }> = [
  { test: /Input file is missing/i, code: 'IMG_NOT_FOUND', detail: 'The source image file does not exist' },
  { test: /exceeds pixel limit/i, code: 'IMG_SOURCE_TOO_LARGE', detail: 'The source image has more pixels than allowed' },
  {
    test: /unsupported image format|contains unsupported|bad seek|premature end|corrupt|truncated|not a known file format/i,
    code: 'IMG_CORRUPT_SOURCE',
    detail: 'The source image is corrupt or in an unsupported format',
  },
  { test: /VipsJpeg|VipsPng|VipsForeign|vips_|load/i, code: 'IMG_DECODE_FAILED', detail: 'The source image could not be decoded' },
];

function systemCode(err: Error): string | undefined {
  const code = (err as Error & { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turns any failure into an {@link ImageServingError} with a stable `IMG_*` code (image-serving.md §5.2).
 * Errors already classified keep their code. Known low-level failures (missing files, sharp decode
 * errors, pixel limits) get their class; their original message goes into `cause` only, so it shows
 * in the log and a level-3 stack, never in a title or level-2 message. Everything else is a server
 * error (`IMG_INTERNAL`).
 */
export function classifyFailure(err: unknown): ImageServingError {
  if (err instanceof ImageServingError) {
    return err;
  }
  if (err instanceof Error) {
    const code = systemCode(err);
    if (code !== undefined && MISSING_FILE_CODES.has(code)) {
      return new ImageServingError('IMG_NOT_FOUND', 'The source image file cannot be opened', { cause: err });
    }
    if (code === 'EACCES' || code === 'EPERM') {
      return new ImageServingError('IMG_INTERNAL', 'The source image file cannot be read', { cause: err });
    }
    if (err instanceof URIError) {
      return new ImageServingError('IMG_INVALID_COMMAND_VALUE', 'The request contains a malformed %-escape', { cause: err });
    }
    for (const pattern of SHARP_PATTERNS) {
      if (pattern.test.test(err.message)) {
        return new ImageServingError(pattern.code, pattern.detail, { cause: err });
      }
    }
  }
  return new ImageServingError('IMG_INTERNAL', UNCLASSIFIED_IMAGE_ERROR_DETAIL, { cause: err });
}
