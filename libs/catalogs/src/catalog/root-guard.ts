import { ImageServingError } from '@openexp/errors';
import { isAbsolute, resolve, sep } from 'node:path';

/**
 * The folders requests may read from: `IS_ROOT_PATH` and every catalog `RootPath` (absolute ones
 * are set by the operator), each also by its real path so symlinked roots work. A path is inside
 * when, relative to one root, it does not start with `..` and is not absolute.
 */
export class RootGuard {
  /** Absolute, normalized roots (duplicates removed). */
  readonly roots: readonly string[];

  constructor(roots: readonly string[]) {
    this.roots = [...new Set(roots.map((r) => resolve(r)))];
  }

  /** True when `absPath` is one of the roots or below one. */
  contains(absPath: string): boolean {
    if (!isAbsolute(absPath) || absPath.includes('\0')) {
      return false;
    }
    const p = resolve(absPath);
    return this.roots.some((root) => isInside(root, p));
  }

  /**
   * Throws `IMG_REQUEST_REFUSED` unless `absPath` is inside a root. The image server calls this
   * with the `realpath` of a file right before opening it, so a symlink cannot lead outside.
   */
  assertInsideRoot(absPath: string): void {
    if (!this.contains(absPath)) {
      throw new ImageServingError('IMG_REQUEST_REFUSED', 'the resolved file is outside the image roots', { path: absPath });
    }
  }
}

/** True when `p` is `root` or below it (both absolute and normalized, as `path.resolve` returns them). */
export function isInside(root: string, p: string): boolean {
  if (p === root) {
    return true;
  }
  const prefix = root.endsWith(sep) ? root : root + sep;
  return p.startsWith(prefix);
}
