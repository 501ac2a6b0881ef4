import type { ImageServingError } from './image-serving-error';

/** `attribute::ErrorDetail` (image-serving.md §5.3): 0/1 title only, 2 detailed, 3 detailed + stack. */
export type ErrorDetailLevel = 0 | 1 | 2 | 3;

/** The texts of an error at a given detail level. */
export interface ImageErrorMessage {
  /** Short generic title (`$error.title$`). */
  title: string;
  /** `$error.message$`: equals `title` at levels 0/1, the level-2 detail at 2 and 3. */
  message: string;
  /** Stack trace with its `Caused by:` chain; level 3 only, and only text responses show it. */
  stack?: string;
}

/** Renders an error's stack and the stacks of its causes, Java style. */
export function stackWithCauses(err: Error): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    const text = current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current);
    parts.push(parts.length === 0 ? text : `Caused by: ${text}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\n');
}

/**
 * The title and message to show for an error at an `ErrorDetail` level. Levels 0 and 1 never
 * reveal anything but the catalogue title: no path, file name, value or internal message.
 */
export function imageErrorMessage(err: ImageServingError, level: ErrorDetailLevel): ImageErrorMessage {
  const title = err.title;
  if (level < 2) {
    return { title, message: title };
  }
  const message = err.detail === '' ? title : err.detail;
  return level === 3 ? { title, message, stack: stackWithCauses(err) } : { title, message };
}
