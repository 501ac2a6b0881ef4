/** Injection token of the `Links` builder (absolute URLs from PUBLIC_BASE_URL). */
export const LINKS = Symbol('LINKS');
