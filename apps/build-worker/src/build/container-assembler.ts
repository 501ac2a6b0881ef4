import { ReactorError, ReactorErrors } from '@openexp/errors';
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
  const extensions = new Map(snapshot.extensions.map((e) => [e.extensionPackage.name, e] as const));
  const usedLibPaths = new Map<string, Map<string, DelegateManifest>>();
  const extraFiles: ExtraFile[] = [];
  const problems: ReactorError[] = [];

  const use = (extension: ExtensionSnapshot, delegate: DelegateManifest): string => {
    const name = extension.extensionPackage.name;
    const paths = usedLibPaths.get(name) ?? new Map<string, DelegateManifest>();
    paths.set(delegate.libPath, delegate);
    usedLibPaths.set(name, paths);
    return `${name}/${delegate.libPath}`;
  };
  const emitFile = (origin: CodeOrigin) => (propertyPath: string, content: string) => {
    const path = `files/${origin.id}-${propertyPath.replace(/[^A-Za-z0-9_-]/g, '_')}.js`;
    extraFiles.push({ path, content, minifiedTwin: false, origin: { kind: origin.kind, id: origin.id } });
    return layout.urlOf(path);
  };
  const transformed = (
    raw: string | null,
    transforms: TransformManifest[] | undefined,
    owner: { origin: CodeOrigin; originId: string; name: string; trusted: boolean },
  ): TransformedSettings => applyTransforms(parseSettings(raw, owner.origin), transforms, { ...owner, emitFile: emitFile(owner.origin) });
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof ReactorError) {
        problems.push(error);
        return undefined;
      }
      throw error;
    }
  };

  const dataElements: Container['dataElements'] = {};
  for (const de of snapshot.dataElements) {
    attempt(() => {
      const { extension, delegate } = resolveDelegate(userOf(de), ['dataElements'], extensions);
      const origin: CodeOrigin = { kind: 'data_element', id: de.id };
      const { settings } = transformed(de.settings, delegate.transforms, {
        origin,
        originId: de.originId,
        name: de.name,
        trusted: extension.extensionPackage.trusted,
      });
      dataElements[de.name] = {
        modulePath: use(extension, delegate),
        settings,
        ...(de.defaultValue !== null && de.defaultValue !== '' ? { defaultValue: de.defaultValue } : {}),
        ...(de.forceLowerCase ? { forceLowerCase: true } : {}),
        ...(de.cleanText ? { cleanText: true } : {}),
        ...(de.storageDuration !== null ? { storageDuration: de.storageDuration } : {}),
      };
    });
  }

  const rules: ContainerRule[] = [];
  for (const rule of snapshot.rules) {
    const out: ContainerRule = { id: rule.originId, name: rule.name, events: [], conditions: [], actions: [] };
    for (const rc of [...rule.components].sort((a, b) => a.order - b.order)) {
      attempt(() => {
        const { extension, delegate, kind } = resolveDelegate(userOf(rc), RULE_KINDS, extensions);
        const { settings } = transformed(rc.settings, delegate.transforms, {
          origin: { kind: 'rule_component', id: rc.id },
          originId: rc.originId,
          name: rc.name,
          trusted: extension.extensionPackage.trusted,
        });
        const modulePath = use(extension, delegate);
        if (kind === 'events') {
          out.events.push({ modulePath, settings, ruleOrder: rc.ruleOrder });
        } else if (kind === 'conditions') {
          out.conditions.push({ modulePath, settings, ...(rc.negate ? { negate: true } : {}), ...timeoutOf(rc) });
        } else {
          out.actions.push({ modulePath, settings, ...timeoutOf(rc), ...(rc.delayNext ? { delayNext: true } : {}) });
        }
      });
    }
    rules.push(out);
  }

  const containerExtensions: Container['extensions'] = {};
  for (const extension of snapshot.extensions) {
    const built = await attemptAsync(problems, () => assembleExtension(extension, usedLibPaths.get(extension.extensionPackage.name), layout, reader, transformed, extraFiles));
    if (built !== undefined) {
      containerExtensions[extension.extensionPackage.name] = built;
    }
  }

  ReactorErrors.throwIfAny(problems);
  return {
    container: {
      company: { orgId: snapshot.company.orgId, dynamicCdnEnabled: false, cdnAllowList: [] },
      property: { id: snapshot.property.id, name: snapshot.property.name, settings: { ...snapshot.property.settings } },
      environment: { id: snapshot.environment.id, stage: snapshot.environment.stage },
      buildInfo: { turbineVersion: turbine.version, turbineBuildDate: turbine.buildDate, buildDate: snapshot.build.createdAt, minified: false },
      dataElements,
      extensions: containerExtensions,
      rules,
    },
    extraFiles,
  };
}

async function assembleExtension(
  extension: ExtensionSnapshot,
  used: Map<string, DelegateManifest> | undefined,
  layout: LibraryLayout,
  reader: PackageFileReader,
  transformed: (
    raw: string | null,
    transforms: TransformManifest[] | undefined,
    owner: { origin: CodeOrigin; originId: string; name: string; trusted: boolean },
  ) => TransformedSettings,
  extraFiles: ExtraFile[],
): Promise<ContainerExtension> {
  const pkg = extension.extensionPackage;
  const manifest = pkg.manifest;
  const shared = new Map((manifest.sharedModules ?? []).map((m) => [m.libPath, m.name] as const));
  const entries = [...(used?.keys() ?? []), ...(manifest.main ? [manifest.main] : []), ...shared.keys()];
  const sources = await collectModuleSources(reader, pkg.filesPrefix, entries);

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

  const hosted = manifest.hostedLibFiles ?? [];
  if (hosted.length > 0) {
    const hostedSources = await collectModuleSources(reader, pkg.filesPrefix, hosted);
    for (const libPath of hosted) {
      extraFiles.push({
        path: `extensions/${pkg.name}/${libPath}`,
        content: hostedSources.get(libPath) ?? '',
        minifiedTwin: true,
        origin: { kind: 'module', id: `${pkg.name}/${libPath}` },
      });
    }
  }

  const config = manifest.configuration;
  const settings =
    extension.settings !== null
      ? transformed(extension.settings, config?.transforms, {
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
    ...(hosted.length > 0 ? { hostedLibFilesBaseUrl: `${layout.urlOf(`extensions/${pkg.name}`)}/` } : {}),
    modules,
  };
}

async function attemptAsync<T>(problems: ReactorError[], fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ReactorErrors) {
      problems.push(...error.errors);
      return undefined;
    }
    if (error instanceof ReactorError) {
      problems.push(error);
      return undefined;
    }
    throw error;
  }
}

function userOf(x: DataElementSnapshot | RuleComponentSnapshot): DelegateUser {
  const kind = 'ruleOrder' in x ? 'rule_component' : 'data_element';
  return { kind, id: x.id, name: x.name, extensionName: x.extensionName, delegateDescriptorId: x.delegateDescriptorId };
}

function timeoutOf(rc: RuleComponentSnapshot): { timeout?: number } {
  return rc.timeout !== null && Number.isInteger(rc.timeout) && rc.timeout >= 0 ? { timeout: rc.timeout } : {};
}

function parseSettings(raw: string | null, origin: CodeOrigin): Record<string, unknown> {
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
