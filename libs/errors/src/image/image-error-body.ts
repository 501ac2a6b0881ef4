import { imageErrorMessage, type ErrorDetailLevel } from './image-error-message';
import type { ImageServingError } from './image-serving-error';
import { assertUnreachable } from '../shared/assert-unreachable';
import { formatProperties, type FormattedBody, type PropertyFormat, PROPERTY_CONTENT_TYPES } from './property-formats';

/** Fixed JSONP callback of error replies, whatever `handler=` said (§5.6: the de-facto `s7sdk` contract). */
export const JSONP_ERROR_HANDLER = 's7jsonError';

/** Options of {@link renderImageErrorBody}. */
export interface ImageErrorBodyOptions {
  /** The requested reply format; image requests (`req=img|tmb|mask`) use `text`. */
  format: PropertyFormat;
  /** `attribute::ErrorDetail` of the catalog. */
  level: ErrorDetailLevel;
  /** `json` only: the `id=` request id echoed as the second JSONP argument. */
  requestId?: string;
}

/**
 * The body of an error reply in the requested format (image-serving.md §5.6):
 * - `text`: `text/plain; charset=UTF-8`; the title at levels 0/1, `title\nmessage` at 2, plus `\n` and the stack (with causes) at 3;
 * - `json`: `/*jsonp*\/s7jsonError({"message":"…","title":"…"},"<id>");`
 * - `javascript`: `error.title='…'` and `error.message='…'` lines;
 * - `xml`: `<prop-group><prop-group name="error">` with `title` and `message` properties.
 * Stacks appear in text replies only. Send with the status of `imageErrorStatus` and `NO_CACHE_HEADERS`.
 */
export function renderImageErrorBody(err: ImageServingError, options: ImageErrorBodyOptions): FormattedBody {
  const { title, message, stack } = imageErrorMessage(err, options.level);
  switch (options.format) {
    case 'text': {
      const lines = options.level < 2 ? [title] : [title, message];
      return { contentType: PROPERTY_CONTENT_TYPES.text, body: (stack === undefined ? lines : [...lines, stack]).join('\n') };
    }
    case 'json':
      return formatProperties(
        [
          ['message', message],
          ['title', title],
        ],
        'json',
        { handler: JSONP_ERROR_HANDLER, requestId: options.requestId ?? '' },
      );
    case 'javascript':
    case 'xml':
      return formatProperties(
        [
          ['error.title', title],
          ['error.message', message],
        ],
        options.format,
      );
    default:
      return assertUnreachable(options.format, 'error body format');
  }
}
