import { z } from 'zod';

/** Thrown when the environment does not satisfy an app's config schema; lists every problem at once. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(`${service}: invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates `env` against `schema` once, at start-up. Every bad or missing variable is reported in one
 * error, each line naming the variable, so an operator fixes them all in one go.
 */
export function parseConfig<S extends z.ZodType>(service: string, schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) {
    return result.data;
  }
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const received = issue.path.length === 1 ? env[String(issue.path[0])] : undefined;
    const shown = received === undefined ? ' is missing' : `=${JSON.stringify(received)}`;
    return `${name}${shown}: ${issue.message}`;
  });
  throw new ConfigError(service, problems);
}

/** Helpers for environment variables, which are always strings. */
export const env = {
  port: (fallback: number) =>
    z
      .string()
      .optional()
      .transform((v) => (v === undefined || v === '' ? String(fallback) : v))
      .pipe(z.string().regex(/^\d+$/, 'must be a TCP port number (0-65535)').transform(Number).pipe(z.number().int().min(0).max(65535))),
  optionalPort: () =>
    z
      .string()
      .optional()
      .transform((v) => (v === undefined || v === '' ? undefined : v))
      .pipe(z.string().regex(/^\d+$/, 'must be a TCP port number (0-65535)').transform(Number).pipe(z.number().int().min(0).max(65535)).optional()),
  int: (fallback: number, min: number, max: number) =>
    z
      .string()
      .optional()
      .transform((v) => (v === undefined || v === '' ? String(fallback) : v))
      .pipe(z.string().regex(/^-?\d+$/, 'must be an integer').transform(Number).pipe(z.number().int().min(min).max(max))),
  /** An integer in [min, max], or undefined when unset or empty (the caller derives a default). */
  optionalInt: (min: number, max: number) =>
    z
      .string()
      .optional()
      .transform((v) => (v === undefined || v === '' ? undefined : v))
      .pipe(z.string().regex(/^-?\d+$/, 'must be an integer').transform(Number).pipe(z.number().int().min(min).max(max)).optional()),
  url: (protocols: string[]) =>
    z
      .string()
      .optional()
      .transform((v) => (v === '' ? undefined : v))
      .pipe(
        z
          .string()
          .refine((v) => {
            try {
              return protocols.includes(new URL(v).protocol.replace(/:$/, ''));
            } catch {
              return false;
            }
          }, `must be a URL with scheme ${protocols.join(' or ')}`)
          .optional(),
      ),
  string: (fallback?: string) =>
    z
      .string()
      .optional()
      .transform((v) => (v === undefined || v === '' ? fallback : v)),
  /** `true`/`false` or `1`/`0` (any case, trimmed); unset or empty gives `fallback`; anything else is refused. */
  boolean: (fallback: boolean) =>
    z
      .string()
      .optional()
      .transform((v) => (v === undefined ? '' : v.trim().toLowerCase()))
      .pipe(z.enum(['', 'true', 'false', '1', '0'], { message: 'must be true or false (or 1 or 0)' }))
      .transform((v) => (v === '' ? fallback : v === 'true' || v === '1')),
  logLevel: () =>
    z
      .string()
      .optional()
      .transform((v) => (v === undefined || v === '' ? 'info' : v))
      .pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
};

/**
 * Parses config or exits the process with one message naming every bad variable.
 * Only `main.ts` files call this; everything else receives the typed object by injection.
 */
export function loadConfigOrExit<S extends z.ZodType>(service: string, schema: S, environment: Record<string, string | undefined>): z.infer<S> {
  try {
    return parseConfig(service, schema, environment);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
