/**
 * Ends an exhaustive `switch`: the call only type-checks when every case was handled, so adding a
 * member to a union without handling it is a compile error. At run time it throws, which can only
 * happen when an untyped value slipped in (e.g. a string read from Redis or a URL).
 */
export function assertUnreachable(value: never, what = 'value'): never {
  throw new TypeError(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
