/**
 * The parts of a web extension package's `extension.json` that the build uses (schema:
 * `@adobe/reactor-turbine-schemas` `extension-package-web.json`). The full manifest travels as parsed
 * JSON; fields not listed here are carried through untouched.
 */
export interface ExtensionManifest {
  /** Package name, `^(?![_\.])[a-z0-9~_\-\.]{1,214}$`; also the module path prefix. */
  name: string;
  /** Semver version. */
  version: string;
  displayName: string;
  description?: string;
  platform: 'web' | 'mobile' | 'edge';
  author?: { name: string; url?: string; email?: string };
  viewBasePath?: string;
  iconPath?: string;
  exchangeUrl?: string;
  /** libPath of a module always included and executed in every build using the extension. */
  main?: string;
  /** Files served next to the library, addressed through `turbine.getHostedLibFileUrl`. */
  hostedLibFiles?: string[];
  configuration?: ConfigurationManifest;
  events?: DelegateManifest[];
  conditions?: DelegateManifest[];
  actions?: DelegateManifest[];
  dataElements?: DelegateManifest[];
  sharedModules?: Array<{ name: string; libPath: string }>;
  [extra: string]: unknown;
}

export interface ConfigurationManifest {
  viewPath: string;
  schema: Record<string, unknown>;
  transforms?: TransformManifest[];
}

/** An event, condition, action or data element type offered by a package. */
export interface DelegateManifest {
  name: string;
  displayName: string;
  categoryName?: string;
  /** Library module path inside the package (relative, `.js`). */
  libPath: string;
  viewPath?: string;
  /** JSON Schema (draft-04) of the delegate's settings. */
  schema: Record<string, unknown>;
  transforms?: TransformManifest[];
}

/** A settings transform applied at build time (§5.2 of the Reactor spec). */
export interface TransformManifest {
  type: 'function' | 'file' | 'remove' | 'customCode' | 'add';
  /** Dot path into the settings; `foo.bar[]` applies to each item of the `foo.bar` array. */
  propertyPath: string;
  /** Parameter names of the emitted function (type `function`). */
  parameters?: string[];
  /** Reserved key to add (type `add`), e.g. `originId`. */
  reservedKey?: string;
}

/** The four delegate kinds, as they appear in a delegate descriptor id `{pkg}::{kind}::{name}`. */
export type DelegateKind = 'events' | 'conditions' | 'actions' | 'dataElements' | 'extensionConfiguration';
