import { ReactorError, ReactorErrors } from '@openexp/errors';

/** The Reactor errors in `error` (one, or each of a ReactorErrors); anything else (a bug, an I/O failure) is rethrown. */
export function problemsOf(error: unknown): ReactorError[] {
  if (error instanceof ReactorErrors) {
    return [...error.errors];
  }
  if (error instanceof ReactorError) {
    return [error];
  }
  throw error;
}

/** What a container assembly found wrong so far: every resolution problem is reported together, not the first alone. */
export class Problems {
  readonly found: ReactorError[] = [];

  /** Runs `fn`, recording the Reactor errors it throws. */
  attempt(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.found.push(...problemsOf(error));
    }
  }

  /** Awaits `fn`, recording the Reactor errors it throws; undefined then. */
  async attemptAsync<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (error) {
      this.found.push(...problemsOf(error));
      return undefined;
    }
  }

  /** @throws ReactorError / ReactorErrors when anything was recorded. */
  throwIfAny(): void {
    ReactorErrors.throwIfAny(this.found);
  }
}
