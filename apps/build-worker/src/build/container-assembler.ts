import { ReactorError } from '@openexp/errors';
import type {
  BuildSnapshot,
  DataElementSnapshot,
  DelegateManifest,
  ExtensionSnapshot,
  RuleComponentSnapshot,
  TransformManifest,
} from '@openexp/queue-contracts';
import type { Container, ContainerExtension, ContainerRule, ExtraFile } from './container.types';
import { type DelegateUser, type FeatureKind, resolveDelegate } from './delegates';
import type { LibraryLayout } from './library-names';
import { collectModuleSources, type PackageFileReader } from './module-sources';
import { Problems } from './problems';
import { type CodeOrigin, RawCode } from './raw-code';
import { applyTransforms, type TransformedSettings } from './settings-transforms';

export interface TurbineInfo {
  version: string;
  buildDate: string;
}

export interface AssembledContainer {
  /** `buildInfo.minified` is false; the renderer flips it for the `.min.js` file. */
  container: Container;
  extraFiles: ExtraFile[];
}

const RULE_KINDS: readonly FeatureKind[] = ['events', 'conditions', 'actions'];

type ExtensionPackage = ExtensionSnapshot['extensionPackage'];

/**
 * Builds the container of one library from its snapshot (reactor-api.md §4.2-4.3): data elements,
 * rules (components by `order`, events carrying `ruleOrder`), and every extension with the modules
 * its used delegates, `main` and shared modules need, plus the files they require.
 * All resolution problems are reported together.
 * @throws ReactorError / ReactorErrors (`extension-not-found`, `delegate-descriptor-unresolved`,
 * `library-file-not-found`, `illegal-custom-code-transform`, `invalid-settings-syntax`).
 */
export async function assembleContainer(
  snapshot: BuildSnapshot,
  layout: LibraryLayout,
  turbine: TurbineInfo,
  reader: PackageFileReader,
): Promise<AssembledContainer> {
  const assembly = new ContainerAssembly(snapshot, layout, reader);
  // Data elements and rules first: they decide which delegates each extension must ship.
  const dataElements = assembly.dataElements();
  const rules = assembly.rules();
  const extensions = await assembly.extensions();
  assembly.problems.throwIfAny();
  return {
    container: {
      company: { orgId: snapshot.company.orgId, dynamicCdnEnabled: false, cdnAllowList: [] },
      property: { id: snapshot.property.id, name: snapshot.property.name, settings: { ...snapshot.property.settings } },
      environment: { id: snapshot.environment.id, stage: snapshot.environment.stage },
      buildInfo: { turbineVersion: turbine.version, turbineBuildDate: turbine.buildDate, buildDate: snapshot.build.createdAt, minified: false },
      dataElements,
      extensions,
      rules,
    },
    extraFiles: assembly.extraFiles,
  };
}

/** Who owns settings being transformed (for code origins, file names and error messages). */
interface SettingsOwner {
  origin: CodeOrigin;
  originId: string;
  name: string;
  trusted: boolean;
}

/** One container being assembled: the delegates used so far, the extra files, the problems found. */
class ContainerAssembly {
  readonly extraFiles: ExtraFile[] = [];
  readonly problems = new Problems();
  private readonly byName: ReadonlyMap<string, ExtensionSnapshot>;
  /** Per extension name, the delegates used by data elements and rules, by `libPath`. */
  private readonly usedLibPaths = new Map<string, Map<string, DelegateManifest>>();

  constructor(
    private readonly snapshot: BuildSnapshot,
    private readonly layout: LibraryLayout,
    private readonly reader: PackageFileReader,
  ) {
    this.byName = new Map(snapshot.extensions.map((e) => [e.extensionPackage.name, e] as const));
  }

  dataElements(): Container['dataElements'] {
    const dataElements: Container['dataElements'] = {};
    for (const de of this.snapshot.dataElements) {
      this.problems.attempt(() => {
        const { extension, delegate } = resolveDelegate(userOf(de), ['dataElements'], this.byName);
        const { settings } = this.transformed(de.settings, delegate.transforms, {
          origin: { kind: 'data_element', id: de.id },
          originId: de.originId,
          name: de.name,
          trusted: extension.extensionPackage.trusted,
        });
        dataElements[de.name] = {
          modulePath: this.use(extension, delegate),
          settings,
          ...(de.defaultValue !== null && de.defaultValue !== '' ? { defaultValue: de.defaultValue } : {}),
          ...(de.forceLowerCase ? { forceLowerCase: true } : {}),
          ...(de.cleanText ? { cleanText: true } : {}),
          ...(de.storageDuration !== null ? { storageDuration: de.storageDuration } : {}),
        };
      });
    }
    return dataElements;
  }

  rules(): ContainerRule[] {
    return this.snapshot.rules.map((rule) => {
      const out: ContainerRule = { id: rule.originId, name: rule.name, events: [], conditions: [], actions: [] };
      for (const rc of [...rule.components].sort((a, b) => a.order - b.order)) {
        this.problems.attempt(() => this.addRuleComponent(out, rc));
      }
      return out;
    });
  }

  /** Every extension of the snapshot with the modules and files it needs (after {@link rules}). */
  async extensions(): Promise<Container['extensions']> {
    const extensions: Container['extensions'] = {};
    for (const extension of this.snapshot.extensions) {
      const built = await this.problems.attemptAsync(() => this.extension(extension));
      if (built !== undefined) {
        extensions[extension.extensionPackage.name] = built;
      }
    }
    return extensions;
  }

  private addRuleComponent(out: ContainerRule, rc: RuleComponentSnapshot): void {
    const { extension, delegate, kind } = resolveDelegate(userOf(rc), RULE_KINDS, this.byName);
    const { settings } = this.transformed(rc.settings, delegate.transforms, {
      origin: { kind: 'rule_component', id: rc.id },
      originId: rc.originId,
      name: rc.name,
      trusted: extension.extensionPackage.trusted,
    });
    const modulePath = this.use(extension, delegate);
    if (kind === 'events') {
      out.events.push({ modulePath, settings, ruleOrder: rc.ruleOrder });
    } else if (kind === 'conditions') {
      out.conditions.push({ modulePath, settings, ...(rc.negate ? { negate: true } : {}), ...timeoutOf(rc) });
    } else {
      out.actions.push({ modulePath, settings, ...timeoutOf(rc), ...(rc.delayNext ? { delayNext: true } : {}) });
    }
  }

  private async extension(extension: ExtensionSnapshot): Promise<ContainerExtension> {
    const pkg = extension.extensionPackage;
    const manifest = pkg.manifest;
    const modules = await this.modulesOf(pkg, this.usedLibPaths.get(pkg.name));
    const hosted = manifest.hostedLibFiles ?? [];
    await this.addHostedFiles(pkg, hosted);
    const settings =
      extension.settings !== null
        ? this.transformed(extension.settings, manifest.configuration?.transforms, {
            origin: { kind: 'extension', id: extension.id },
            originId: extension.originId,
            name: extension.name,
            trusted: pkg.trusted,
          })
        : undefined;
    return {
      displayName: extension.displayName || manifest.displayName,
      ...(settings ? { settings: settings.settings } : {}),
      ...(settings && settings.filePaths.length > 0 ? { filePaths: settings.filePaths } : {}),
      ...(hosted.length > 0 ? { hostedLibFilesBaseUrl: `${this.layout.urlOf(`extensions/${pkg.name}`)}/` } : {}),
      modules,
    };
  }

  /** The used delegates' modules, `main` and the shared modules, with every module they require. */
  private async modulesOf(pkg: ExtensionPackage, used: Map<string, DelegateManifest> | undefined): Promise<ContainerExtension['modules']> {
    const shared = new Map((pkg.manifest.sharedModules ?? []).map((m) => [m.libPath, m.name] as const));
    const entries = [...(used?.keys() ?? []), ...(pkg.manifest.main ? [pkg.manifest.main] : []), ...shared.keys()];
    const sources = await collectModuleSources(this.reader, pkg.filesPrefix, entries);
    const modules: ContainerExtension['modules'] = {};
    for (const [libPath, source] of sources) {
      const delegate = used?.get(libPath);
      const sharedName = shared.get(libPath);
      const referencePath = `${pkg.name}/${libPath}`;
      modules[referencePath] = {
        ...(delegate ? { name: delegate.name, displayName: delegate.displayName } : {}),
        ...(sharedName ? { name: sharedName, shared: true } : {}),
        script: new RawCode(`function(module, exports, require, turbine) {\n${source}\n}`, { kind: 'module', id: referencePath }, 1),
      };
    }
    return modules;
  }

  /** `hostedLibFiles` are served beside the library (`extensions/{name}/…`), not put in it. */
  private async addHostedFiles(pkg: ExtensionPackage, hosted: readonly string[]): Promise<void> {
    if (hosted.length === 0) {
      return;
    }
    const hostedSources = await collectModuleSources(this.reader, pkg.filesPrefix, hosted);
    for (const libPath of hosted) {
      this.extraFiles.push({
        path: `extensions/${pkg.name}/${libPath}`,
        content: hostedSources.get(libPath) ?? '',
        minifiedTwin: true,
        origin: { kind: 'module', id: `${pkg.name}/${libPath}` },
      });
    }
  }

  /** Records that `delegate` ships with its extension; its module path in the container. */
  private use(extension: ExtensionSnapshot, delegate: DelegateManifest): string {
    const name = extension.extensionPackage.name;
    const paths = this.usedLibPaths.get(name) ?? new Map<string, DelegateManifest>();
    paths.set(delegate.libPath, delegate);
    this.usedLibPaths.set(name, paths);
    return `${name}/${delegate.libPath}`;
  }

  private transformed(raw: string | null, transforms: TransformManifest[] | undefined, owner: SettingsOwner): TransformedSettings {
    return applyTransforms(parseSettings(raw, owner.origin), transforms, { ...owner, emitFile: (propertyPath, content) => this.emitFile(owner.origin, propertyPath, content) });
  }

  /** A `file` transform's code as an extra file of the build; its public URL. */
  private emitFile(origin: CodeOrigin, propertyPath: string, content: string): string {
    const path = `files/${origin.id}-${propertyPath.replace(/[^A-Za-z0-9_-]/g, '_')}.js`;
    this.extraFiles.push({ path, content, minifiedTwin: false, origin: { kind: origin.kind, id: origin.id } });
    return this.layout.urlOf(path);
  }
}

export function userOf(x: DataElementSnapshot | RuleComponentSnapshot): DelegateUser {
  const kind = 'ruleOrder' in x ? 'rule_component' : 'data_element';
  return { kind, id: x.id, name: x.name, extensionName: x.extensionName, delegateDescriptorId: x.delegateDescriptorId };
}

export function timeoutOf(rc: RuleComponentSnapshot): { timeout?: number } {
  return rc.timeout !== null && Number.isInteger(rc.timeout) && rc.timeout >= 0 ? { timeout: rc.timeout } : {};
}

export function parseSettings(raw: string | null, origin: CodeOrigin): Record<string, unknown> {
  if (raw === null || raw.trim() === '') {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ReactorError('invalid-settings-syntax', `The settings of ${origin.id} are not valid JSON.`, { meta: { [`${origin.kind}_id`]: origin.id } });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ReactorError('invalid-settings-syntax', `The settings of ${origin.id} are not a JSON object.`, { meta: { [`${origin.kind}_id`]: origin.id } });
  }
  return parsed as Record<string, unknown>;
}
