/** A dependency the app needs to serve traffic (Redis, the database, the catalog root ...). */
export interface ReadinessCheck {
  name: string;
  /** Resolves when the dependency answers; rejects (or times out) when it does not. */
  check(): Promise<void>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string; ms: number }>;
}

/** Collects checks registered by the app's modules; `/readyz` runs them all in parallel. */
export class Readiness {
  private readonly checks: ReadinessCheck[] = [];
  private shuttingDown = false;

  register(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  /** Once shutdown starts the app reports not-ready, so load balancers drain it. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async report(timeoutMs = 2000): Promise<ReadinessReport> {
    const entries = await Promise.all(
      this.checks.map(async (c) => {
        const started = performance.now();
        try {
          await withTimeout(c.check(), timeoutMs, `${c.name} did not answer within ${timeoutMs} ms`);
          return [c.name, { ok: true, ms: Math.round(performance.now() - started) }] as const;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return [c.name, { ok: false, error: message, ms: Math.round(performance.now() - started) }] as const;
        }
      }),
    );
    const checks: ReadinessReport['checks'] = Object.fromEntries(entries);
    if (this.shuttingDown) {
      checks['shutdown'] = { ok: false, error: 'shutting down', ms: 0 };
    }
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
