import type { AttributeFile } from './attribute-file';
import type { CatalogAttributes } from './catalog-attributes';
import type { CatalogMacro, CatalogRecord } from './catalog-record';
import { RuleSet } from '../rules/rule-set';

/** Identity of a file version: a catalog is reloaded when one of its files' stamps changes. */
export interface FileStamp {
  /** Absolute path. */
  readonly path: string;
  readonly mtimeMs: number;
  readonly size: number;
}

/** Everything {@link Catalog} is built from. */
export interface CatalogInit {
  readonly file: string;
  readonly attributeFile: AttributeFile;
  readonly attributes: CatalogAttributes;
  readonly records: ReadonlyMap<string, CatalogRecord>;
  readonly macros: ReadonlyMap<string, CatalogMacro>;
  readonly stamps: readonly FileStamp[];
  readonly warnings: readonly string[];
  readonly loadedAt: Date;
  /** `RuleSetFile` rules; empty when the catalog has none. */
  readonly ruleSet?: RuleSet;
  /** Why the current `RuleSetFile` was refused (the previous rule set is in `ruleSet`), else absent. */
  readonly ruleSetError?: string | null;
}

/**
 * One loaded image catalog: an `.ini` attribute file with its record and macro files (§4).
 * Immutable: a reload builds a new `Catalog` and swaps it in, so a request keeps the catalog it
 * started with.
 */
export class Catalog {
  /** `attribute::RootId`; `''` for the default catalog. */
  readonly rootId: string;
  /** Absolute path of the `.ini` file. */
  readonly file: string;
  /** When this version was built. */
  readonly loadedAt: Date;
  /** mtime of the `.ini` file. */
  readonly mtime: Date;
  /** Typed attributes after inheritance (§4.2). */
  readonly attributes: CatalogAttributes;
  /** Records by case-sensitive `Id`, from all `CatalogFile`s (later files and rows win). */
  readonly records: ReadonlyMap<string, CatalogRecord>;
  /** Macros by lower-case name. */
  readonly macros: ReadonlyMap<string, CatalogMacro>;
  /** The parsed `.ini` (default.ini's is what other catalogs inherit from). */
  readonly attributeFile: AttributeFile;
  /** The `.ini` and every data file, with the mtime/size they had when loaded. */
  readonly stamps: readonly FileStamp[];
  /** Non-fatal problems found while loading (skipped rows, unknown columns ...). */
  readonly warnings: readonly string[];
  /** The rule set applied before parsing requests of this catalog (§1.6 step 2); may be empty. */
  readonly ruleSet: RuleSet;
  /**
   * Set when the `RuleSetFile` on disk was refused at reload: the message (file:line: why). The
   * previous rule set stays in `ruleSet` until the file is fixed. `null` when the file is in use.
   */
  readonly ruleSetError: string | null;

  constructor(init: CatalogInit) {
    this.rootId = init.attributes.rootId;
    this.file = init.file;
    this.loadedAt = init.loadedAt;
    this.mtime = new Date(Math.floor(init.stamps[0]?.mtimeMs ?? 0));
    this.attributes = init.attributes;
    this.records = init.records;
    this.macros = init.macros;
    this.attributeFile = init.attributeFile;
    this.stamps = init.stamps;
    this.warnings = init.warnings;
    this.ruleSet = init.ruleSet ?? RuleSet.EMPTY;
    this.ruleSetError = init.ruleSetError ?? null;
    Object.freeze(this);
  }

  /** True for default.ini (empty RootId). */
  get isDefault(): boolean {
    return this.rootId === '';
  }

  /** The record with this exact (case-sensitive) id, in this catalog only. */
  record(id: string): CatalogRecord | undefined {
    return this.records.get(id);
  }

  /** The macro with this name (case-insensitive), in this catalog only. */
  macro(name: string): CatalogMacro | undefined {
    return this.macros.get(name.toLowerCase());
  }
}
