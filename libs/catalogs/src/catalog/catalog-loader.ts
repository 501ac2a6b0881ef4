import { basename, join, resolve } from 'node:path';
import { parseAttributeFile, type AttributeFile } from './attribute-file';
import { resolveAttributes } from './attribute-resolution';
import { Catalog, type FileStamp } from './catalog';
import type { CatalogAttributes } from './catalog-attributes';
import type { CatalogFilesRepository } from './catalog-files.repository';
import { CatalogLoadError } from './catalog-load-error';
import type { CatalogMacro, CatalogRecord } from './catalog-record';
import { CatalogSet } from './catalog-set';
import { readMacros, readRecords } from './data-files';
import { decodeCatalogText } from './text-decoding';
import { decodeRuleSetText, parseRuleSet, RuleSet, RuleSetError } from '../rules/rule-set';
import { parseTsvCooperatively } from './tsv-table';

/** Where catalogs live and how files are read. */
export interface CatalogLoadContext {
  /** Absolute catalog folder (`IS_CATALOG_ROOT`). */
  readonly catalogRoot: string;
  /** Absolute `IS_ROOT_PATH`. */
  readonly isRootPath: string;
  readonly files: CatalogFilesRepository;
}

/** The name of the catalog every other catalog inherits from (§4.1). */
export const DEFAULT_CATALOG_FILE = 'default.ini';

/**
 * Loads one catalog: its `.ini`, then its record files in `CatalogFile` order, its macro file and
 * its rule set. `defaults` is default.ini's parsed file, or `null` when loading default.ini itself.
 * `prior` is the version in service, if any: a broken `RuleSetFile` then keeps `prior`'s rule set
 * (and the rest of the catalog is updated) with `ruleSetError` saying why; without a prior
 * version (start-up, new catalog) a broken rule set is an error like any broken data file.
 * @throws CatalogLoadError for a missing or unparsable file, a bad attribute value or RootId.
 */
export async function loadCatalog(iniPath: string, defaults: AttributeFile | null, ctx: CatalogLoadContext, prior?: Catalog): Promise<Catalog> {
  const iniStamp = await requiredStamp(iniPath, ctx, 'catalog file');
  const attributeFile = parseAttributeFile(decodeCatalogText(await readAt(iniPath, ctx)), iniPath);
  assertCatalogRootId(attributeFile.entries.get('rootid')?.value ?? '', defaults === null, iniPath);
  const attributes = resolveAttributes(attributeFile, defaults, {
    catalogRoot: ctx.catalogRoot,
    isRootPath: ctx.isRootPath,
    iniMtimeMs: Math.floor(iniStamp.mtimeMs),
  });
  const warnings = [...attributeFile.warnings];
  const stamps: FileStamp[] = [iniStamp];
  const { records, macros } = await loadDataFiles(attributes, ctx, stamps, warnings);
  const { ruleSet, ruleSetError } = attributes.ruleSetFile === null ? NO_RULE_SET : await loadRuleSet(attributes.ruleSetFile, ctx, prior, stamps);
  return new Catalog({ file: iniPath, attributeFile, attributes, records, macros, stamps, warnings, loadedAt: new Date(), ruleSet, ruleSetError });
}

/** The records of the `CatalogFile`s (in order, a later one overriding) and the `MacroFile`'s macros; their stamps added to `stamps`. */
async function loadDataFiles(
  attributes: CatalogAttributes,
  ctx: CatalogLoadContext,
  stamps: FileStamp[],
  warnings: string[],
): Promise<{ records: Map<string, CatalogRecord>; macros: ReadonlyMap<string, CatalogMacro> }> {
  const records = new Map<string, CatalogRecord>();
  for (const file of attributes.catalogFiles) {
    stamps.push(await requiredStamp(file, ctx, 'CatalogFile'));
    await readRecords(await parseTsvCooperatively(decodeCatalogText(await readAt(file, ctx)), file), records, warnings);
  }
  let macros: ReadonlyMap<string, CatalogMacro> = new Map();
  if (attributes.macroFile !== null) {
    stamps.push(await requiredStamp(attributes.macroFile, ctx, 'MacroFile'));
    macros = readMacros(await parseTsvCooperatively(decodeCatalogText(await readAt(attributes.macroFile, ctx)), attributes.macroFile), warnings);
  }
  return { records, macros };
}

interface LoadedRuleSet {
  readonly ruleSet: RuleSet;
  /** Why the file's new version was refused while `prior`'s rule set stays in use, else `null`. */
  readonly ruleSetError: string | null;
}

const NO_RULE_SET: LoadedRuleSet = { ruleSet: RuleSet.EMPTY, ruleSetError: null };

/** The `RuleSetFile`, its stamp added to `stamps`; a broken one keeps `prior`'s rule set, or throws without `prior`. */
async function loadRuleSet(file: string, ctx: CatalogLoadContext, prior: Catalog | undefined, stamps: FileStamp[]): Promise<LoadedRuleSet> {
  stamps.push(await requiredStamp(file, ctx, 'RuleSetFile'));
  try {
    return { ruleSet: parseRuleSet(decodeRuleSetText(await readAt(file, ctx), file), file), ruleSetError: null };
  } catch (err) {
    if (!(err instanceof RuleSetError)) {
      throw err;
    }
    if (prior === undefined) {
      const where = err.line === null ? { file, cause: err } : { file, line: err.line, cause: err };
      throw new CatalogLoadError(`RuleSetFile refused: ${err.reason}`, where);
    }
    return { ruleSet: prior.ruleSet, ruleSetError: `RuleSetFile refused: ${err.message}` };
  }
}

/**
 * Loads the whole catalog folder: default.ini first (it must exist), then every other `*.ini`.
 * Collects the problems of all files and throws one {@link CatalogLoadError} listing them, so an
 * operator fixes everything in one go.
 */
export async function loadCatalogFolder(ctx: CatalogLoadContext): Promise<CatalogSet> {
  const defaultPath = join(ctx.catalogRoot, DEFAULT_CATALOG_FILE);
  if ((await ctx.files.stamp(defaultPath)) === undefined) {
    throw new CatalogLoadError(`the catalog folder has no ${DEFAULT_CATALOG_FILE}; it must exist and have an empty RootId`, {
      file: defaultPath,
    });
  }
  const defaultCatalog = await loadCatalog(defaultPath, null, ctx);
  const others: Catalog[] = [];
  const problems: CatalogLoadError[] = [];
  for (const file of await otherIniFiles(ctx)) {
    try {
      others.push(await loadCatalog(file, defaultCatalog.attributeFile, ctx));
    } catch (err) {
      problems.push(asLoadError(err, file));
    }
  }
  if (problems.length === 1 && problems[0] !== undefined) {
    throw problems[0];
  }
  if (problems.length > 1) {
    throw new CatalogLoadError(`${problems.length} catalogs failed to load:\n${problems.map((p) => `  - ${p.message}`).join('\n')}`);
  }
  return buildCatalogSet(defaultCatalog, others, ctx);
}

/** The `.ini` files of the folder other than default.ini. */
export async function otherIniFiles(ctx: CatalogLoadContext): Promise<string[]> {
  const files = await ctx.files.listIniFiles(ctx.catalogRoot);
  return files.filter((f) => basename(f) !== DEFAULT_CATALOG_FILE);
}

/** Builds a {@link CatalogSet} with the roots of its catalogs (and their real paths). */
export async function buildCatalogSet(defaultCatalog: Catalog, others: readonly Catalog[], ctx: CatalogLoadContext): Promise<CatalogSet> {
  const roots = [ctx.isRootPath, ...[defaultCatalog, ...others].map((c) => c.attributes.rootPath)];
  const real = await Promise.all(roots.map((r) => ctx.files.realPathOrSelf(r)));
  return new CatalogSet(defaultCatalog, others, ctx.isRootPath, [...roots, ...real]);
}

/** Wraps anything thrown while loading `file` as a {@link CatalogLoadError}. */
export function asLoadError(err: unknown, file: string): CatalogLoadError {
  if (err instanceof CatalogLoadError) {
    return err;
  }
  return new CatalogLoadError(err instanceof Error ? err.message : String(err), { file, cause: err });
}

const ROOT_ID = /^[^/\\\s\0?&#%]+$/;

/** default.ini has an empty RootId; every other catalog a URL-safe one. */
function assertCatalogRootId(rootId: string, isDefault: boolean, file: string): void {
  if (isDefault) {
    if (rootId !== '') {
      throw new CatalogLoadError(`default.ini must have an empty RootId (found ${JSON.stringify(rootId)})`, { file });
    }
    return;
  }
  if (rootId === '') {
    throw new CatalogLoadError('RootId is missing or empty (only default.ini may have an empty RootId)', { file });
  }
  if (!ROOT_ID.test(rootId) || rootId === '.' || rootId === '..') {
    throw new CatalogLoadError(`RootId ${JSON.stringify(rootId)} is not URL-safe (no '/', '\\', whitespace, '?', '&', '#', '%')`, { file });
  }
}

async function requiredStamp(path: string, ctx: CatalogLoadContext, what: string): Promise<FileStamp> {
  const stamp = await ctx.files.stamp(resolve(path));
  if (stamp === undefined) {
    throw new CatalogLoadError(`${what} ${path} does not exist`, { file: path });
  }
  return stamp;
}

async function readAt(path: string, ctx: CatalogLoadContext): Promise<Buffer> {
  try {
    return await ctx.files.readFile(path);
  } catch (err) {
    throw new CatalogLoadError(`cannot read: ${err instanceof Error ? err.message : String(err)}`, { file: path, cause: err });
  }
}
