/**
 * The logging the catalog store needs; a pino logger satisfies it (`logger.warn(obj, msg)`).
 */
export interface CatalogLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/** Used when no logger is given: warnings and errors to stderr, info dropped. */
export const stderrCatalogLogger: CatalogLogger = {
  info: () => undefined,
  warn: (obj, msg) => process.stderr.write(`[catalogs] WARN ${msg} ${JSON.stringify(obj)}\n`),
  error: (obj, msg) => process.stderr.write(`[catalogs] ERROR ${msg} ${JSON.stringify(obj)}\n`),
};
