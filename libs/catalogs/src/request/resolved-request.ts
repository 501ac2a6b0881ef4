import type { Catalog } from '../catalog/catalog';
import type { CatalogAttributes } from '../catalog/catalog-attributes';
import type { CatalogSet } from '../catalog/catalog-set';
import { COMPOSITE_LAYER, type MergedCommand } from './command-merge';
import { resolveObjectReference, type ResolvedObject } from './object-resolution';
import { percentEncodeValue } from './percent-decoding';

/** Everything {@link ResolvedRequest} holds. */
export interface ResolvedRequestInit {
  readonly catalogs: CatalogSet;
  readonly catalog: Catalog;
  readonly selectedCatalog: Catalog;
  readonly pathObject: string;
  readonly object: ResolvedObject;
  readonly commands: readonly MergedCommand[];
  readonly variables: ReadonlyMap<string, string>;
  /** What the main catalog's rule set did (§1.6 step 2); absent = no rule matched. */
  readonly rules?: RuleEffect;
  /** 0 for a request, n for one nested n deep in `src=is{…}`/`mask=is{…}` (default 0). */
  readonly nestingDepth?: number;
}

/** The effect of the rule set on one request. */
export interface RuleEffect {
  /** Names of the rules that matched, in order. */
  readonly matched: readonly string[];
  /** `Expiration` override in hours from the last matching rule that sets one, else `null`. */
  readonly expiration: number | null;
}

const NO_RULES: RuleEffect = Object.freeze({ matched: Object.freeze([]), expiration: null });

/**
 * A request after §1.6 steps 1-7 (minus command defaults, which belong to the image server's
 * command table): main catalog and attributes, resolved object, merged commands, variables.
 * Immutable; holds the catalog snapshot it was resolved against, so a reload during the request
 * changes nothing for it.
 */
export class ResolvedRequest {
  /** The snapshot this request was resolved against; use it for further lookups. */
  readonly catalogs: CatalogSet;
  /**
   * The main catalog whose attributes are in effect: the catalog named by the first path element,
   * the default catalog otherwise, or the default catalog for a non-record path under `FullMatch=1`.
   */
  readonly catalog: Catalog;
  /** The catalog picked by the first path element (§1.5 step 1), used for RequestLock/Obfuscation. */
  readonly selectedCatalog: Catalog;
  /** Attributes in effect (`catalog.attributes`). */
  readonly attributes: CatalogAttributes;
  /** The decoded path object as written after `/is/image/` (elements joined by `/`); the predefined `$object$`. */
  readonly pathObject: string;
  /** What the path object resolved to. */
  readonly object: ResolvedObject;
  /** Merged commands, see `mergeCommands`: layers in order, each command the winner of its name. */
  readonly commands: readonly MergedCommand[];
  /** Variables in effect (lower-case names), including `object`. */
  readonly variables: ReadonlyMap<string, string>;
  /** What the rule set of the selected catalog did (rule names, `Expiration` override). */
  readonly rules: RuleEffect;
  /**
   * 0 for a request, n for a request nested n deep (`src=is{…}` of a request at depth n-1). A
   * nested request ignores `fmt`, `qlt`, `bgc`, `req` … (they are not in {@link commands}) and
   * the `MaxPix`/`DefaultPix` of its catalog (§3.5).
   */
  readonly nestingDepth: number;

  constructor(init: ResolvedRequestInit) {
    this.catalogs = init.catalogs;
    this.catalog = init.catalog;
    this.selectedCatalog = init.selectedCatalog;
    this.attributes = init.catalog.attributes;
    this.pathObject = init.pathObject;
    this.object = init.object;
    this.commands = init.commands;
    this.variables = init.variables;
    this.rules = init.rules ?? NO_RULES;
    this.nestingDepth = init.nestingDepth ?? 0;
    Object.freeze(this);
  }

  /** The default catalog of the snapshot. */
  get defaultCatalog(): Catalog {
    return this.catalogs.defaultCatalog;
  }

  /** The winning command of this name (case-insensitive) in a layer (default: the composite layer). */
  command(name: string, layer: string = COMPOSITE_LAYER): MergedCommand | undefined {
    const key = name.toLowerCase();
    return this.commands.find((c) => c.layer === layer && c.name === key);
  }

  /** The value of {@link command}, or `undefined` when the command is absent. */
  value(name: string, layer: string = COMPOSITE_LAYER): string | undefined {
    return this.command(name, layer)?.value;
  }

  /** True when the command is present in the layer (even with an empty value). */
  has(name: string, layer: string = COMPOSITE_LAYER): boolean {
    return this.command(name, layer) !== undefined;
  }

  /** The commands of one layer, in order. */
  layer(layer: string = COMPOSITE_LAYER): MergedCommand[] {
    return this.commands.filter((c) => c.layer === layer);
  }

  /**
   * Client TTL in hours for an image reply of this object (§6): the record's own `Expiration`,
   * else a matching rule's `Expiration` (rules override the attribute, not a record), else
   * `attribute::Expiration` of the main catalog. 0 = expire now, -1 = never.
   */
  get expirationHours(): number {
    return this.object.record?.expiration ?? this.rules.expiration ?? this.attributes.expiration;
  }

  /**
   * The most recent time stamp (ms) of the catalogs and record involved, for `Last-Modified` with
   * `UseLastModified=1` (§6): the record's `TimeStamp` (else its catalog's), and the main catalog's.
   */
  get timeStamp(): number {
    const own = this.object.record?.timeStamp ?? this.object.catalog.attributes.timeStamp;
    return Math.max(own, this.attributes.timeStamp);
  }

  /**
   * Throws `IMG_REQUEST_REFUSED` unless `realPath` is inside the roots. Call it with the
   * `realpath` of the source file right before opening it, so a symlink cannot lead outside.
   */
  assertInsideRoot(realPath: string): void {
    this.catalogs.assertInsideRoot(realPath);
  }

  /**
   * Resolves an object named by a command value or attribute (`src=`, `mask=`, `defaultImage=`,
   * `ErrorImage`, `Watermark`) against this request's main catalog (§1.5).
   */
  resolveObject(ref: string): ResolvedObject {
    return resolveObjectReference(ref, this.catalog, this.catalogs);
  }

  /**
   * The final request string for `req=resolve` (§1.6): the path object, then `?` and the merged
   * commands as `name=value` with lower-case names, values %-encoded where needed (nested requests
   * as written). Deterministic, so usable in cache keys; it contains no file system paths.
   */
  resolvedString(): string {
    const query = this.commands.map((c) => `${c.name}=${c.nested ? c.value : percentEncodeValue(c.value)}`).join('&');
    const object = this.pathObject.split('/').map(percentEncodeValue).join('/');
    return query === '' ? object : `${object}?${query}`;
  }
}
