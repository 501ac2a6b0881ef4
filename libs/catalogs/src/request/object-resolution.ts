import { extname, isAbsolute, resolve } from 'node:path';
import type { Catalog } from '../catalog/catalog';
import type { CatalogRecord } from '../catalog/catalog-record';
import type { CatalogSet } from '../catalog/catalog-set';
import { isInside } from '../catalog/root-guard';
import { splitObjectReference } from './object-path';
import { refusedError } from './request-errors';

/**
 * What an object (the URL path, or a `src=`/`mask=`/`defaultImage=` value) resolved to (§1.5).
 * Whether the file exists is not checked here: opening it is the image server's job (it must also
 * `realpath` it and call `assertInsideRoot`).
 */
export interface ResolvedObject {
  /** `record`: a catalog entry; `path`: a file path; `none`: no object (catalog-only request). */
  readonly kind: 'record' | 'path' | 'none';
  /** The record id, or the path as looked up (before DefaultExt); `''` for `none`. */
  readonly id: string;
  /**
   * The catalog whose `RootPath` and `DefaultExt` located the file: the record's own catalog
   * (which may be the default catalog backing the main one), or the catalog of the path.
   */
  readonly catalog: Catalog;
  /** The record, for `kind: 'record'`. */
  readonly record: CatalogRecord | null;
  /** Absolute source file, inside the roots; `null` for `none` and for records without `Path` (templates). */
  readonly filePath: string | null;
  /** Absolute mask file from `catalog::MaskPath`, or `null`. */
  readonly maskPath: string | null;
  /**
   * {@link filePath} relative to `IS_ROOT_PATH` (absolute when outside it), e.g.
   * `images/cat/missing.jpg`: what `ErrorDetail=2` messages show.
   */
  readonly displayPath: string | null;
}

/** The catalog picked by the first path element (§1.5 step 1) and the rest of the path. */
export interface MainCatalogSelection {
  readonly catalog: Catalog;
  /** The object id within that catalog: the rest of the path, or the whole path for the default catalog. */
  readonly objId: string;
}

/**
 * §1.5 step 1: when the first element equals a catalog's RootId (exact, case-sensitive) that
 * catalog is the main catalog and the rest is the object; otherwise the default catalog is main and
 * the whole path is the object.
 */
export function selectMainCatalog(segments: readonly string[], set: CatalogSet): MainCatalogSelection {
  const first = segments[0];
  const named = first === undefined ? undefined : set.catalog(first);
  if (first !== undefined && named !== undefined && !named.isDefault) {
    return { catalog: named, objId: segments.slice(1).join('/') };
  }
  return { catalog: set.defaultCatalog, objId: segments.join('/') };
}

/**
 * Resolves the URL path object (§1.5 steps 2-6). Returns the catalog whose attributes are in
 * effect (the selected one, or the default catalog for a non-record path under `FullMatch=1`).
 */
export function resolvePathObject(segments: readonly string[], set: CatalogSet): { readonly main: Catalog; readonly object: ResolvedObject } {
  const { catalog: selected, objId } = selectMainCatalog(segments, set);
  if (objId === '') {
    return { main: selected, object: noObject(selected) };
  }
  const found = findRecord(objId, selected, set);
  if (found !== undefined) {
    return { main: selected, object: recordObject(found.record, found.owner, set) };
  }
  if (!selected.isDefault && selected.attributes.fullMatch) {
    const d = set.defaultCatalog;
    return { main: d, object: pathObject(segments.join('/'), d, set) };
  }
  return { main: selected, object: pathObject(objId, selected, set) };
}

/**
 * Resolves an object named in a command value (`src=`, `mask=`, `defaultImage=`, `ErrorImage`,
 * `Watermark`; §1.5): the whole string as a record of the main catalog (backed by the default
 * catalog); then `rootId/objId` against another catalog; else a path, under that catalog's
 * RootPath (or the default catalog's with `FullMatch=1`), or under the main catalog's. A leading
 * `/` forces the default catalog. An empty reference resolves to `none`.
 */
export function resolveObjectReference(ref: string, main: Catalog, set: CatalogSet): ResolvedObject {
  const { leadingSlash, segments } = splitObjectReference(ref);
  const base = leadingSlash ? set.defaultCatalog : main;
  const whole = segments.join('/');
  if (whole === '') {
    return noObject(base);
  }
  const direct = findRecord(whole, base, set);
  if (direct !== undefined) {
    return recordObject(direct.record, direct.owner, set);
  }
  const first = segments[0] ?? '';
  const named = leadingSlash ? undefined : set.catalog(first);
  if (named !== undefined && !named.isDefault && segments.length > 1) {
    const objId = segments.slice(1).join('/');
    const found = findRecord(objId, named, set);
    if (found !== undefined) {
      return recordObject(found.record, found.owner, set);
    }
    return named.attributes.fullMatch ? pathObject(whole, set.defaultCatalog, set) : pathObject(objId, named, set);
  }
  return pathObject(whole, base, set);
}

/** §1.5 step 2: the main catalog's records, then the default catalog's. */
function findRecord(id: string, main: Catalog, set: CatalogSet): { readonly record: CatalogRecord; readonly owner: Catalog } | undefined {
  const own = main.record(id);
  if (own !== undefined) {
    return { record: own, owner: main };
  }
  const fallback = main.isDefault ? undefined : set.defaultCatalog.record(id);
  return fallback === undefined ? undefined : { record: fallback, owner: set.defaultCatalog };
}

function noObject(catalog: Catalog): ResolvedObject {
  return { kind: 'none', id: '', catalog, record: null, filePath: null, maskPath: null, displayPath: null };
}

function recordObject(record: CatalogRecord, owner: Catalog, set: CatalogSet): ResolvedObject {
  const filePath = record.path === null ? null : sourceFile(record.path, owner, set);
  const maskPath = record.maskPath === null ? null : sourceFile(record.maskPath, owner, set);
  return { kind: 'record', id: record.id, catalog: owner, record, filePath, maskPath, displayPath: display(filePath, set) };
}

function pathObject(path: string, catalog: Catalog, set: CatalogSet): ResolvedObject {
  const filePath = sourceFile(path, catalog, set);
  return { kind: 'path', id: path, catalog, record: null, filePath, maskPath: null, displayPath: display(filePath, set) };
}

/**
 * §1.5 steps 5-6: append `DefaultExt` to a suffix-less last element, then join with the catalog's
 * absolute RootPath (an absolute catalog path is kept). The result must stay inside the roots.
 */
export function sourceFile(path: string, catalog: Catalog, set: CatalogSet): string {
  const ext = catalog.attributes.defaultExt;
  const lastElement = path.slice(path.lastIndexOf('/') + 1);
  const withExt = ext !== null && extname(lastElement) === '' ? `${path}${ext}` : path;
  const abs = isAbsolute(withExt) ? resolve(withExt) : resolve(catalog.attributes.rootPath, withExt);
  if (!set.rootGuard.contains(abs)) {
    throw refusedError('the object resolves outside the image roots', withExt);
  }
  return abs;
}

function display(filePath: string | null, set: CatalogSet): string | null {
  if (filePath === null) {
    return null;
  }
  if (filePath === set.isRootPath) {
    return '.';
  }
  return isInside(set.isRootPath, filePath) ? filePath.slice(set.isRootPath.length).replace(/^\//, '') : filePath;
}
