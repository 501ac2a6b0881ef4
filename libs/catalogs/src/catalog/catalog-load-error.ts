/**
 * A catalog folder or file that cannot be used: missing `default.ini`, duplicate `RootId`, an
 * attribute value that does not parse, an unreadable data file. Thrown at start-up (the server
 * refuses to start) and logged on reload (the previous catalog stays in service).
 */
export class CatalogLoadError extends Error {
  override readonly name = 'CatalogLoadError';
  /** The file at fault (absolute path), when there is one. */
  readonly file: string | undefined;
  /** 1-based line in {@link file}, when known. */
  readonly line: number | undefined;

  constructor(message: string, options: { file?: string; line?: number; cause?: unknown } = {}) {
    const where = options.file === undefined ? '' : `${options.file}${options.line === undefined ? '' : `:${options.line}`}: `;
    super(`${where}${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.file = options.file;
    this.line = options.line;
  }
}
