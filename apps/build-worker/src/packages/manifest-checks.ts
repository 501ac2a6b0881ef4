import { posix } from 'node:path';
import { ReactorError } from '@openexp/errors';
import type { ExtensionManifest, TransformManifest } from '@openexp/queue-contracts';

export const FEATURE_KINDS = ['events', 'conditions', 'actions', 'dataElements'] as const;
const TRANSFORM_TYPES = new Set(['function', 'file', 'remove', 'customCode', 'add']);

/** A path named by extension.json, with where it was found (for the detail). */
export interface ManifestPath {
  path: string;
  /** e.g. `events[2].libPath` */
  field: string;
  /** Resolved relative path inside the package (viewPaths joined with viewBasePath, query/hash stripped). */
  file: string;
}

function stripQuery(path: string): string {
  return path.split('?')[0]?.split('#')[0] ?? path;
}

/** Every file path extension.json references (reactor-validator's list plus iconPath, hostedLibFiles, sharedModules). */
export function manifestPaths(manifest: ExtensionManifest): ManifestPath[] {
  const paths: ManifestPath[] = [];
  const viewBase = typeof manifest.viewBasePath === 'string' ? manifest.viewBasePath : '';
  const add = (path: unknown, field: string, base = ''): void => {
    if (typeof path === 'string') {
      paths.push({ path, field, file: posix.normalize(posix.join(base, stripQuery(path))) });
    }
  };
  if (manifest.main !== undefined) {
    add(manifest.main, 'main');
  }
  add(manifest.iconPath, 'iconPath');
  (manifest.hostedLibFiles ?? []).forEach((p, i) => add(p, `hostedLibFiles[${i}]`));
  (manifest.sharedModules ?? []).forEach((m, i) => add(m?.libPath, `sharedModules[${i}].libPath`));
  if (manifest.configuration) {
    add(manifest.configuration.viewPath, 'configuration.viewPath', viewBase);
  }
  for (const kind of FEATURE_KINDS) {
    (manifest[kind] ?? []).forEach((feature, i) => {
      add(feature?.libPath, `${kind}[${i}].libPath`);
      if (feature?.viewPath !== undefined) {
        add(feature.viewPath, `${kind}[${i}].viewPath`, viewBase);
      }
    });
  }
  return paths;
}

/**
 * Refuses badly formed paths: absolute, with backslashes, or leaving the package with `..`.
 * @throws ReactorError `extension-package-path-error`.
 */
export function checkManifestPaths(manifest: ExtensionManifest): ManifestPath[] {
  const all = manifestPaths(manifest);
  const viewBase = manifest.viewBasePath;
  const candidates = typeof viewBase === 'string' ? [...all, { path: viewBase, field: 'viewBasePath', file: posix.normalize(viewBase) }] : all;
  for (const p of candidates) {
    if (p.path.startsWith('/') || p.path.includes('\\') || p.path.includes('\0') || /^[A-Za-z]:/.test(p.path)) {
      throw new ReactorError('extension-package-path-error', `${p.field} "${p.path}" must be a relative path inside the package.`, { meta: { field: p.field } });
    }
    if (p.file === '..' || p.file.startsWith('../')) {
      throw new ReactorError('extension-package-path-error', `${p.field} "${p.path}" points outside the package.`, { meta: { field: p.field } });
    }
  }
  return all;
}

/**
 * Our transform rules: each entry has a known type and a property path, at most one transform per
 * property path, and `customCode` only in trusted packages.
 * @throws ReactorError `extension-package-transform-definition-error` or `illegal-custom-code-transform`.
 */
export function checkTransforms(manifest: ExtensionManifest, trusted: boolean): void {
  const lists: Array<{ where: string; transforms: unknown }> = [];
  if (manifest.configuration) {
    lists.push({ where: 'configuration', transforms: manifest.configuration.transforms });
  }
  for (const kind of FEATURE_KINDS) {
    (manifest[kind] ?? []).forEach((f, i) => lists.push({ where: `${kind}[${i}] (${String(f?.name)})`, transforms: f?.transforms }));
  }
  for (const { where, transforms } of lists) {
    if (transforms === undefined) {
      continue;
    }
    if (!Array.isArray(transforms)) {
      throw transformError(`The transforms of ${where} must be an array.`, where);
    }
    const seen = new Set<string>();
    for (const t of transforms as Array<Partial<TransformManifest>>) {
      if (typeof t !== 'object' || t === null || typeof t.type !== 'string' || !TRANSFORM_TYPES.has(t.type)) {
        throw transformError(`A transform of ${where} has an unknown type; use function, file, remove, add or customCode.`, where);
      }
      if (t.type === 'customCode' && !trusted) {
        throw new ReactorError('illegal-custom-code-transform', `${where} declares a customCode transform, which only the server's own packages may use.`, {
          meta: { delegate: where },
        });
      }
      if (typeof t.propertyPath !== 'string' || t.propertyPath.length === 0) {
        throw transformError(`A ${t.type} transform of ${where} has no propertyPath.`, where);
      }
      if (seen.has(t.propertyPath)) {
        throw transformError(`${where} declares more than one transform for "${t.propertyPath}".`, where);
      }
      seen.add(t.propertyPath);
      if (t.type === 'function' && t.parameters !== undefined && (!Array.isArray(t.parameters) || !t.parameters.every((p) => /^[A-Za-z_$][\w$]*$/.test(String(p))))) {
        throw transformError(`The function transform of ${where} ("${t.propertyPath}") has invalid parameter names.`, where);
      }
    }
  }
}

function transformError(detail: string, where: string): ReactorError {
  return new ReactorError('extension-package-transform-definition-error', detail, { meta: { delegate: where } });
}
