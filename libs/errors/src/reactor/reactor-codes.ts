import { ASSET_ERRORS } from './codes/asset-codes';
import { AUTH_ERRORS } from './codes/auth-codes';
import { DEPLOY_ERRORS } from './codes/deploy-codes';
import { EXTENSION_PACKAGE_ERRORS } from './codes/extension-package-codes';
import { LIBRARY_ERRORS } from './codes/library-codes';
import { PROTOCOL_ERRORS } from './codes/protocol-codes';
import { RESOURCE_ERRORS } from './codes/resource-codes';
import { SERVER_ERRORS } from './codes/server-codes';
import type {
  DeferrableReactorErrorDefinition,
  ReactorErrorDefinition,
} from './reactor-error-definition';

/**
 * The Reactor error catalogue: every code the API or the worker can report, keyed by its stable
 * kebab-case code. Codes are a wire contract (clients such as reactor-uploader match on them):
 * never rename or remove one. To add a code, add an entry to the group file it belongs to; a
 * missing field is a compile error, and so is a code defined in two groups.
 */
export const REACTOR_ERRORS = {
  ...AUTH_ERRORS,
  ...PROTOCOL_ERRORS,
  ...RESOURCE_ERRORS,
  ...LIBRARY_ERRORS,
  ...EXTENSION_PACKAGE_ERRORS,
  ...DEPLOY_ERRORS,
  ...ASSET_ERRORS,
  ...SERVER_ERRORS,
} as const satisfies Record<string, ReactorErrorDefinition>;

type KeysOfAny<T extends readonly unknown[]> = T[number] extends infer U ? (U extends unknown ? keyof U : never) : never;
type Overlapping<T extends readonly unknown[]> = T extends readonly [infer Head, ...infer Rest]
  ? Extract<keyof Head, KeysOfAny<Rest>> | Overlapping<Rest>
  : never;
type CodeGroups = [
  typeof AUTH_ERRORS,
  typeof PROTOCOL_ERRORS,
  typeof RESOURCE_ERRORS,
  typeof LIBRARY_ERRORS,
  typeof EXTENSION_PACKAGE_ERRORS,
  typeof DEPLOY_ERRORS,
  typeof ASSET_ERRORS,
  typeof SERVER_ERRORS,
];
// A code spread from two groups would silently keep the last definition; make it a compile error.
const _groupsAreDisjoint: [Overlapping<CodeGroups>] extends [never] ? true : Overlapping<CodeGroups> = true;

/** Every Reactor error code, e.g. `'not-found'` or `'sftp-authentication-failed'`. */
export type ReactorErrorCode = keyof typeof REACTOR_ERRORS;

/** Codes that may appear in `meta.status_details` (kind `deferred` or `both`). */
export type DeferrableReactorErrorCode = {
  [C in ReactorErrorCode]: (typeof REACTOR_ERRORS)[C] extends DeferrableReactorErrorDefinition ? C : never;
}[ReactorErrorCode];

/** All codes, in catalogue order. */
export const REACTOR_ERROR_CODES: readonly ReactorErrorCode[] = Object.freeze(
  Object.keys(REACTOR_ERRORS) as ReactorErrorCode[],
);

const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/** Narrows an arbitrary string (e.g. read from Redis or a database) to a catalogue code. */
export function isReactorErrorCode(x: string): x is ReactorErrorCode {
  return hasOwn(REACTOR_ERRORS, x);
}

/** The catalogue entry of a code. */
export function reactorErrorDefinition<C extends ReactorErrorCode>(code: C): (typeof REACTOR_ERRORS)[C] {
  return REACTOR_ERRORS[code];
}

/** True when repeating the failed operation unchanged may succeed (worker retries with backoff). */
export function isTransient(code: ReactorErrorCode): boolean {
  return REACTOR_ERRORS[code].retry === 'transient';
}

/** True when the code may be reported in `meta.status_details` (kind `deferred` or `both`). */
export function isDeferrable(code: ReactorErrorCode): code is DeferrableReactorErrorCode {
  return REACTOR_ERRORS[code].kind !== 'immediate';
}
