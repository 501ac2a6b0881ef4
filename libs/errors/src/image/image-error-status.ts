import { assertUnreachable } from '../shared/assert-unreachable';
import { IMAGE_ERRORS, ImageErrorClass, type ImageErrorCode } from './image-error-classes';

/** Documented/recommended HTTP status per error class (image-serving.md §5.2): 403 for all but overload. */
export const defaultImageStatuses = Object.freeze({ 1: 403, 2: 403, 3: 403, 4: 503 } as const);

/**
 * Server-wide status switches (image-serving.md §5.2 "option" column). Only the documented
 * alternatives are allowed, e.g. `{ notFound: 404, usage: 400, server: 500 }`. They apply only
 * to codes whose `statusSwitch` names them: refused requests, too-large replies and overload
 * keep their fixed status.
 */
export interface ImageStatusOverrides {
  /** Status for missing images/records (class 1). Default 403. */
  notFound?: 403 | 404;
  /** Status for invalid requests (class 2 "Invalid request" codes). Default 403. */
  usage?: 400 | 403;
  /** Status for server errors (class 3). Default 403, for compatibility. */
  server?: 403 | 500;
}

/** The HTTP status of an image error, given the server's overrides. */
export function imageErrorStatus(err: { code: ImageErrorCode } | ImageErrorCode, overrides: ImageStatusOverrides = {}): number {
  const definition = IMAGE_ERRORS[typeof err === 'string' ? err : err.code];
  const statusSwitch = definition.statusSwitch;
  switch (statusSwitch) {
    case 'notFound':
    case 'usage':
    case 'server':
      return overrides[statusSwitch] ?? defaultImageStatuses[definition.errorClass];
    case null:
      return defaultImageStatuses[definition.errorClass];
    default:
      return assertUnreachable(statusSwitch, 'image status switch');
  }
}

/** True for the overload class, whose responses should also carry `Retry-After`. */
export function isOverloadError(err: { code: ImageErrorCode }): boolean {
  return IMAGE_ERRORS[err.code].errorClass === ImageErrorClass.Overload;
}
