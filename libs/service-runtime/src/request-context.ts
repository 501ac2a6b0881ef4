import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What a unit of work (an HTTP request, a job) carries through async calls for logs. */
export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const requestContext = {
  /** The current request or job context, if any. */
  current(): RequestContext | undefined {
    return storage.getStore();
  },
  /** Runs `fn` with `context` as the current context. */
  run<T>(context: RequestContext, fn: () => T): T {
    return storage.run(context, fn);
  },
  /** Makes `context` current for the rest of this synchronous execution and what it schedules. */
  enter(context: RequestContext): void {
    storage.enterWith(context);
  },
};

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes the caller's `x-request-id` when it is a sane token, otherwise makes a new one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SAFE_REQUEST_ID.test(value) ? value : randomUUID();
}
