import { IMAGE_ERRORS, type ImageErrorClass, type ImageErrorCode, type ImageErrorTitle } from './image-error-classes';

/** Optional facts about an image error occurrence, shown at `ErrorDetail` 2 and above only. */
export interface ImageServingErrorOptions {
  /** The offending command name as written in the request, e.g. `wid`. */
  command?: string;
  /** The offending value, e.g. `abc`. */
  value?: string;
  /** The resolved object or file path, e.g. `images/cat/missing.jpg`. Sensitive: level 2+ only. */
  path?: string;
  /** The underlying error (sharp, fs ...); its stack is shown at level 3 of text responses only. */
  cause?: unknown;
}

/**
 * One Image Serving failure. `detail` is the level-2 message: it may include the resolved path
 * and the offending command and value, so it is only shown when `ErrorDetail` >= 2.
 *
 * @example throw new ImageServingError('IMG_INVALID_COMMAND_VALUE', 'wid=abc: not a positive integer', { command: 'wid', value: 'abc' })
 */
export class ImageServingError<C extends ImageErrorCode = ImageErrorCode> extends Error {
  override readonly name = 'ImageServingError';
  /** Stable catalogue code. */
  readonly code: C;
  /** Level-2 message for staging/QA; may contain paths and request values. */
  readonly detail: string;
  /** Offending command, if any. */
  readonly command: string | undefined;
  /** Offending value, if any. */
  readonly value: string | undefined;
  /** Resolved path, if any. */
  readonly path: string | undefined;

  constructor(code: C, detail: string, options: ImageServingErrorOptions = {}) {
    super(`${code}: ${detail}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.detail = detail;
    this.command = options.command;
    this.value = options.value;
    this.path = options.path;
  }

  /** Level-0 title from the catalogue. */
  get title(): ImageErrorTitle {
    return IMAGE_ERRORS[this.code].title;
  }

  /** Access-log class from the catalogue. */
  get errorClass(): ImageErrorClass {
    return IMAGE_ERRORS[this.code].errorClass;
  }
}

/** Level-2 detail given to errors that were not classified: the original message stays in the log and the level-3 stack. */
export const UNCLASSIFIED_IMAGE_ERROR_DETAIL = 'Unexpected error while processing the request';

/** Keeps an {@link ImageServingError}; wraps anything else as `IMG_INTERNAL` without copying its message into `detail`. */
export function toImageServingError(err: unknown): ImageServingError {
  return err instanceof ImageServingError ? err : new ImageServingError('IMG_INTERNAL', UNCLASSIFIED_IMAGE_ERROR_DETAIL, { cause: err });
}
