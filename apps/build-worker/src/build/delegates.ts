import { ReactorError } from '@openexp/errors';
import type { DelegateManifest, ExtensionSnapshot } from '@openexp/queue-contracts';

export type FeatureKind = 'events' | 'conditions' | 'actions' | 'dataElements';

export interface ParsedDescriptor {
  packageName: string;
  kind: string;
  name: string;
}

/** `core::events::click` → {packageName: core, kind: events, name: click}; undefined when malformed. */
export function parseDescriptor(id: string): ParsedDescriptor | undefined {
  const parts = id.split('::');
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) {
    return undefined;
  }
  const [packageName, kind, name] = parts as [string, string, string];
  return { packageName, kind, name };
}

/** Who uses a delegate, for failure details. */
export interface DelegateUser {
  kind: 'rule_component' | 'data_element';
  id: string;
  name: string;
  extensionName: string;
  delegateDescriptorId: string;
}

function label(user: DelegateUser): string {
  return `${user.kind === 'data_element' ? 'Data element' : 'Rule component'} "${user.name}" (${user.id})`;
}

function contextOf(user: DelegateUser): Record<string, unknown> {
  return { [`${user.kind}_id`]: user.id, delegate_descriptor_id: user.delegateDescriptorId };
}

/**
 * Finds the extension and the delegate a rule component or data element uses (reactor-api.md §4.2).
 * @throws ReactorError `extension-not-found` or `delegate-descriptor-unresolved`.
 */
export function resolveDelegate(
  user: DelegateUser,
  allowedKinds: readonly FeatureKind[],
  extensions: ReadonlyMap<string, ExtensionSnapshot>,
): { extension: ExtensionSnapshot; delegate: DelegateManifest; kind: FeatureKind } {
  const extension = extensions.get(user.extensionName);
  if (extension === undefined) {
    throw new ReactorError(
      'extension-not-found',
      `${label(user)} uses the extension "${user.extensionName}", which is not in the library or its upstream libraries.`,
      { meta: { ...contextOf(user), extension_name: user.extensionName } },
    );
  }
  const parsed = parseDescriptor(user.delegateDescriptorId);
  const kind = allowedKinds.find((k) => k === parsed?.kind);
  const delegate =
    parsed !== undefined && kind !== undefined && parsed.packageName === extension.extensionPackage.name
      ? extension.extensionPackage.manifest[kind]?.find((d) => d.name === parsed.name)
      : undefined;
  if (kind === undefined || delegate === undefined) {
    throw new ReactorError(
      'delegate-descriptor-unresolved',
      `${label(user)} uses "${user.delegateDescriptorId}", which version ${extension.extensionPackage.version} of the package "${extension.extensionPackage.name}" does not define.`,
      { meta: contextOf(user) },
    );
  }
  return { extension, delegate, kind };
}
