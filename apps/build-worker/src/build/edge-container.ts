import { ReactorError } from '@openexp/errors';
import type { BuildSnapshot, DelegateManifest, ExtensionSnapshot, RuleComponentSnapshot, TransformManifest } from '@openexp/queue-contracts';
import { parseSettings, timeoutOf, userOf } from './container-assembler';
import { type FeatureKind, resolveDelegate } from './delegates';
import { collectModuleSources, type PackageFileReader, resolveRequire } from './module-sources';
import { Problems } from './problems';
import { RawCode } from './raw-code';
import { applyTransforms, type TransformContext } from './settings-transforms';

/*
 * The container `@adobe/reactor-turbine-edge` runs (its `initialize(containerInitFunction)`): the
 * library module exports a function that receives turbine-edge's `getDataElementValues` and returns
 * this object. Unlike the web container, settings are not data but functions
 * (`getSettings(context) → Promise<settings>`) that resolve `{{data element}}` references per
 * event, and `modules[path].script` is the module's export itself (turbine-edge has no module
 * registry: the library links the package files, see edge-runtime.ts).
 */

/** Settings of one delegate, before rendering: the template and the data elements it references. */
export interface EdgeSettings {
  template: Record<string, unknown>;
  /** `{{name}}` references in the template's strings, unique, in order of appearance. */
  dataElements: string[];
}

export interface EdgeDelegateUse {
  modulePath: string;
  settings: EdgeSettings;
}

export interface EdgeRule {
  id: string;
  name: string;
  conditions: Array<EdgeDelegateUse & { negate?: boolean; timeout?: number }>;
  actions: Array<EdgeDelegateUse & { timeout?: number }>;
}

export interface EdgeModuleFile {
  /** `{package}/{libPath}` */
  path: string;
  source: string;
  /** The file's relative `require` requests → module paths, resolved at build time. */
  requires: Record<string, string>;
}

export interface EdgeContainer {
  buildInfo: { turbineVersion: string; turbineBuildDate: string; buildDate: string; environment: string };
  company: { orgId: string };
  property: { id: string; name: string };
  environment: { id: string; stage: string };
  extensions: Record<string, { displayName: string; settings?: EdgeSettings }>;
  /** The delegates' modules (the entries turbine-edge looks up), by module path. */
  modules: Record<string, { extensionName: string; name: string; displayName: string }>;
  /** Every package file the delegates need, their required helpers included. */
  files: EdgeModuleFile[];
  dataElements: Record<string, EdgeDelegateUse & { defaultValue?: string; forceLowerCase?: boolean; cleanText?: boolean }>;
  rules: EdgeRule[];
}

/** Edge rules have no events: every rule runs for every event the edge receives. */
const EDGE_RULE_KINDS: readonly FeatureKind[] = ['conditions', 'actions'];

/** `{{name}}`: how edge settings reference a data element (web uses `%name%`). */
export const EDGE_TOKEN = /\{\{([^{}]+)\}\}/g;

/**
 * Builds the edge container of one library from its snapshot. All resolution problems are
 * reported together, as for web builds.
 * @throws ReactorError / ReactorErrors (`extension-not-found`, `delegate-descriptor-unresolved`,
 * `library-file-not-found`, `extension-package-path-error`, `extension-package-transform-definition-error`,
 * `invalid-settings-syntax`).
 */
export async function assembleEdgeContainer(
  snapshot: BuildSnapshot,
  engine: { version: string; buildDate: string },
  reader: PackageFileReader,
): Promise<EdgeContainer> {
  const assembly = new EdgeAssembly(snapshot);
  const dataElements = assembly.dataElements();
  const rules = assembly.rules();
  const extensions = assembly.extensions();
  const { modules, files } = await assembly.modules(reader);
  assembly.problems.throwIfAny();
  return {
    buildInfo: { turbineVersion: engine.version, turbineBuildDate: engine.buildDate, buildDate: snapshot.build.createdAt, environment: snapshot.environment.stage },
    company: { orgId: snapshot.company.orgId },
    property: { id: snapshot.property.id, name: snapshot.property.name },
    environment: { id: snapshot.environment.id, stage: snapshot.environment.stage },
    extensions,
    modules,
    files,
    dataElements,
    rules,
  };
}

class EdgeAssembly {
  readonly problems = new Problems();
  private readonly byName: ReadonlyMap<string, ExtensionSnapshot>;
  /** Per extension name, the delegates used, by `libPath`. */
  private readonly used = new Map<string, Map<string, DelegateManifest>>();

  constructor(private readonly snapshot: BuildSnapshot) {
    this.byName = new Map(snapshot.extensions.map((e) => [e.extensionPackage.name, e] as const));
  }

  dataElements(): EdgeContainer['dataElements'] {
    const out: EdgeContainer['dataElements'] = {};
    for (const de of this.snapshot.dataElements) {
      this.problems.attempt(() => {
        const { extension, delegate } = resolveDelegate(userOf(de), ['dataElements'], this.byName);
        out[de.name] = {
          modulePath: this.use(extension, delegate),
          settings: settingsOf(de.settings, delegate.transforms, { origin: { kind: 'data_element', id: de.id }, originId: de.originId, name: de.name, trusted: extension.extensionPackage.trusted }),
          ...(de.defaultValue !== null && de.defaultValue !== '' ? { defaultValue: de.defaultValue } : {}),
          ...(de.forceLowerCase ? { forceLowerCase: true } : {}),
          ...(de.cleanText ? { cleanText: true } : {}),
        };
      });
    }
    return out;
  }

  rules(): EdgeRule[] {
    return this.snapshot.rules.map((rule) => {
      const out: EdgeRule = { id: rule.originId, name: rule.name, conditions: [], actions: [] };
      for (const rc of [...rule.components].sort((a, b) => a.order - b.order)) {
        this.problems.attempt(() => this.addComponent(out, rc));
      }
      return out;
    });
  }

  extensions(): EdgeContainer['extensions'] {
    const out: EdgeContainer['extensions'] = {};
    for (const extension of this.snapshot.extensions) {
      this.problems.attempt(() => {
        const pkg = extension.extensionPackage;
        out[pkg.name] = {
          displayName: extension.displayName || pkg.manifest.displayName,
          ...(extension.settings !== null
            ? { settings: settingsOf(extension.settings, pkg.manifest.configuration?.transforms, { origin: { kind: 'extension', id: extension.id }, originId: extension.originId, name: extension.name, trusted: pkg.trusted }) }
            : {}),
        };
      });
    }
    return out;
  }

  /** The used delegates' modules and every file they require, per extension. */
  async modules(reader: PackageFileReader): Promise<Pick<EdgeContainer, 'modules' | 'files'>> {
    const modules: EdgeContainer['modules'] = {};
    const files: EdgeModuleFile[] = [];
    for (const [name, used] of this.used) {
      const pkg = this.byName.get(name)?.extensionPackage;
      if (pkg === undefined) {
        continue;
      }
      const sources = await this.problems.attemptAsync(() => collectModuleSources(reader, pkg.filesPrefix, [...used.keys()]));
      for (const [libPath, source] of sources ?? []) {
        this.problems.attempt(() => files.push({ path: `${name}/${libPath}`, source, requires: linkRequires(name, libPath, source) }));
      }
      for (const [libPath, delegate] of used) {
        modules[`${name}/${libPath}`] = { extensionName: name, name: delegate.name, displayName: delegate.displayName };
      }
    }
    return { modules, files };
  }

  private addComponent(out: EdgeRule, rc: RuleComponentSnapshot): void {
    const { extension, delegate, kind } = resolveDelegate(userOf(rc), EDGE_RULE_KINDS, this.byName);
    const settings = settingsOf(rc.settings, delegate.transforms, { origin: { kind: 'rule_component', id: rc.id }, originId: rc.originId, name: rc.name, trusted: extension.extensionPackage.trusted });
    const use = { modulePath: this.use(extension, delegate), settings };
    if (kind === 'conditions') {
      out.conditions.push({ ...use, ...(rc.negate ? { negate: true } : {}), ...timeoutOf(rc) });
    } else {
      out.actions.push({ ...use, ...timeoutOf(rc) });
    }
  }

  private use(extension: ExtensionSnapshot, delegate: DelegateManifest): string {
    const name = extension.extensionPackage.name;
    const paths = this.used.get(name) ?? new Map<string, DelegateManifest>();
    paths.set(delegate.libPath, delegate);
    this.used.set(name, paths);
    return `${name}/${delegate.libPath}`;
  }
}

/** Parsed, transformed settings and the data elements they reference. `file` transforms have no meaning on the edge. */
function settingsOf(raw: string | null, transforms: TransformManifest[] | undefined, owner: Omit<TransformContext, 'emitFile'>): EdgeSettings {
  const origin = owner.origin;
  const template = applyTransforms(parseSettings(raw, origin), transforms, {
    ...owner,
    emitFile: (propertyPath) => {
      throw new ReactorError(
        'extension-package-transform-definition-error',
        `${origin.id} uses a "file" transform (${propertyPath}): an edge library is one module run by turbine-edge, with no files to load by URL. File transforms work in web properties only.`,
        { meta: { [`${origin.kind}_id`]: origin.id, property_path: propertyPath } },
      );
    },
  }).settings;
  return { template, dataElements: referencedDataElements(template) };
}

/** `{{name}}` references in the strings of a settings value (functions from transforms are code, not searched). */
export function referencedDataElements(value: unknown, found = new Set<string>()): string[] {
  if (typeof value === 'string') {
    for (const match of value.matchAll(EDGE_TOKEN)) {
      found.add(match[1] as string);
    }
  } else if (Array.isArray(value)) {
    value.forEach((item) => referencedDataElements(item, found));
  } else if (typeof value === 'object' && value !== null && !(value instanceof RawCode)) {
    Object.values(value).forEach((item) => referencedDataElements(item, found));
  }
  return [...found];
}

const ANY_REQUIRE = /\brequire\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;

/**
 * The file's `require` requests resolved to module paths. Only the package's own files can be
 * required: turbine-edge gives modules no `require` of its own, and the library carries no npm
 * packages, so a bare request (`require('lodash')`) fails the build instead of the first event.
 */
function linkRequires(packageName: string, libPath: string, source: string): Record<string, string> {
  const requires: Record<string, string> = {};
  for (const match of source.matchAll(ANY_REQUIRE)) {
    const request = match[2] as string;
    if (!request.startsWith('./') && !request.startsWith('../')) {
      throw new ReactorError(
        'library-file-not-found',
        `${libPath} of the package "${packageName}" requires "${request}", which is not a file of the package: edge libraries contain the packages' own files only (bundle dependencies into the package).`,
        { meta: { file: libPath, request } },
      );
    }
    requires[request] = `${packageName}/${resolveRequire(libPath, request)}`;
  }
  return requires;
}
