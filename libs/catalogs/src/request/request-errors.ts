import { ImageServingError } from '@openexp/errors';

/** A request that does not parse: bad `%` escape, unbalanced nesting, unknown macro ... (class 2). */
export function usageError(detail: string, options: { command?: string; value?: string } = {}): ImageServingError<'IMG_INVALID_COMMAND_VALUE'> {
  return new ImageServingError('IMG_INVALID_COMMAND_VALUE', detail, options);
}

/** A request refused for safety: path outside the roots, `..`, NUL, encoded slash (class 2, "Request refused"). */
export function refusedError(detail: string, path?: string): ImageServingError<'IMG_REQUEST_REFUSED'> {
  return new ImageServingError('IMG_REQUEST_REFUSED', detail, path === undefined ? {} : { path });
}
