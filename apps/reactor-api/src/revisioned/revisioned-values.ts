import { Injectable } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import type { ExtensionManifest } from '@openexp/queue-contracts';
import type { AuthContext } from '../auth/rights';
import { notFound, ScopeRepository } from '../common/scope.repository';
import type { ExtensionPackageRow, RevisionedRow, RevisionedUpdate } from '../database/schema';
import { ExtensionPackagesRepository } from '../extension-packages/extension-packages.repository';
import { compareVersions } from '../extensions/semver';
import { DelegateCheck, parseSettings } from './delegate-check';
import { RevisionedRepository } from './revisioned.repository';
import type { RevisionedAttributes, RevisionedLinks, RevisionedType } from './revisioned.types';

/** The columns every type shares. */
interface BaseValues {
  name: string;
  enabled: boolean;
  settings: string | null;
  delegate_descriptor_id: string | null;
}

/** The columns a create or PATCH writes. */
export type ResolvedValues = BaseValues & RevisionedUpdate;

/** What a create or PATCH names, with the row it changes (`current`, null on create). */
export interface RevisionedChange {
  auth: AuthContext;
  propertyId: string;
  type: RevisionedType;
  attrs: RevisionedAttributes;
  links: RevisionedLinks;
  current: RevisionedRow | null;
}

const EXTENSION_POINTER = '/data/relationships/extension/data/id';
const PACKAGE_POINTER = '/data/relationships/extension_package/data/id';
const RULE_POINTER = '/data/relationships/rules/data/0/id';

/**
 * Validates a create or PATCH of a revisioned resource (relationships, delegate descriptor,
 * settings, name uniqueness) and returns the columns to write.
 */
@Injectable()
export class RevisionedValues {
  constructor(
    private readonly scope: ScopeRepository,
    private readonly repository: RevisionedRepository,
    private readonly packages: ExtensionPackagesRepository,
    private readonly delegates: DelegateCheck,
  ) {}

  async resolve(change: RevisionedChange): Promise<ResolvedValues> {
    const base = baseValues(change.attrs, change.current);
    switch (change.type) {
      case 'rules':
        return { ...base, settings: null, delegate_descriptor_id: null };
      case 'extensions':
        return this.extension(change, base);
      case 'data_elements':
        return this.dataElement(change, base, await this.extensionOf(change, base));
      case 'rule_components':
        return this.component(change, base, await this.extensionOf(change, base));
    }
  }

  /**
   * The extension a data element or rule component uses: of the property, with a usable package
   * holding its delegate; with the package's platform (the property's: checked on install).
   */
  private async extensionOf({ auth, propertyId, type, links, current }: RevisionedChange, base: BaseValues): Promise<{ extension: RevisionedRow; platform: string }> {
    const extensionRef = links.extensionId ?? current?.extension_id ?? null;
    if (extensionRef === null) {
      throw new ReactorError('validation-error', 'relationships.extension is required.', { pointer: '/data/relationships' });
    }
    const extension = await this.scope.revisioned('extensions', auth.companyId, extensionRef, EXTENSION_POINTER);
    if (extension.property_id !== propertyId) {
      throw notFound('extensions', extensionRef, EXTENSION_POINTER);
    }
    const pkg = await this.packages.findById(extension.extension_package_id ?? '');
    const manifest = manifestOf(pkg);
    if (pkg === undefined || manifest === null || base.delegate_descriptor_id === null) {
      throw new ReactorError('delegate-descriptor-unresolved', `Extension ${extensionRef} has no usable package.`, { pointer: '/data/attributes/delegate_descriptor_id' });
    }
    this.delegates.check(type, base.delegate_descriptor_id, base.settings, pkg.id, manifest);
    return { extension, platform: pkg.platform ?? 'web' };
  }

  private async dataElement({ propertyId, attrs, current }: RevisionedChange, base: BaseValues, { extension, platform }: { extension: RevisionedRow; platform: string }): Promise<ResolvedValues> {
    if (current === null || (attrs.name !== undefined && attrs.name !== current.name)) {
      const clash = await this.repository.findHeadByName(propertyId, 'data_elements', base.name);
      if (clash !== undefined) {
        throw new ReactorError('not-unique', `A data element named "${base.name}" already exists (${clash.id}).`, { pointer: '/data/attributes/name' });
      }
    }
    return {
      ...base,
      extension_id: extension.origin_id,
      default_value: attrs.default_value !== undefined ? attrs.default_value : (current?.default_value ?? null),
      force_lower_case: attrs.force_lower_case ?? current?.force_lower_case ?? false,
      clean_text: attrs.clean_text ?? current?.clean_text ?? false,
      storage_duration: edgeRefuses(platform, 'storage_duration', attrs.storage_duration !== undefined ? attrs.storage_duration : (current?.storage_duration ?? null), null),
    };
  }

  private async component({ auth, propertyId, attrs, links, current }: RevisionedChange, base: BaseValues, { extension, platform }: { extension: RevisionedRow; platform: string }): Promise<ResolvedValues> {
    const ruleId = links.ruleIds[0] ?? current?.rule_id ?? null;
    if (ruleId === null || links.ruleIds.length > 1) {
      throw new ReactorError('validation-error', 'relationships.rules must hold exactly one rule.', { pointer: '/data/relationships' });
    }
    const rule = await this.scope.revisioned('rules', auth.companyId, ruleId, RULE_POINTER);
    if (rule.property_id !== propertyId || rule.revision_number !== 0) {
      throw new ReactorError('invalid-rule', `Rule ${ruleId} is not a rule head of this property.`, { pointer: RULE_POINTER });
    }
    return {
      ...base,
      extension_id: extension.origin_id,
      rule_id: rule.id,
      order: attrs.order ?? current?.order ?? 0,
      rule_order: attrs.rule_order ?? current?.rule_order ?? 50,
      negate: attrs.negate ?? current?.negate ?? false,
      timeout: attrs.timeout !== undefined ? attrs.timeout : (current?.timeout ?? 2000),
      delay_next: edgeRefuses(platform, 'delay_next', attrs.delay_next ?? current?.delay_next ?? true, true),
    };
  }

  /** Another company's private package, when the caller's org holds an approved usage authorization for it. */
  private async sharedWith(pkg: ExtensionPackageRow, orgId: string): Promise<boolean> {
    return pkg.availability === 'private' && pkg.name !== null && (await this.packages.isAuthorized(pkg.name, orgId));
  }

  private async extension({ auth, propertyId, links, current }: RevisionedChange, base: BaseValues): Promise<ResolvedValues> {
    const packageId = links.extensionPackageId ?? current?.extension_package_id ?? null;
    if (packageId === null) {
      throw new ReactorError('validation-error', 'relationships.extension_package is required.', { pointer: '/data/relationships' });
    }
    const pkg = await this.packages.findById(packageId);
    if (pkg === undefined || !(visibleTo(pkg, auth.companyId) || (await this.sharedWith(pkg, auth.orgId)))) {
      throw notFound('extension_packages', packageId, PACKAGE_POINTER);
    }
    const manifest = manifestOf(pkg);
    if (pkg.status !== 'succeeded' || manifest === null) {
      throw new ReactorError('invalid-extension', `Extension package ${packageId} has not been processed successfully (${pkg.status}).`, { pointer: PACKAGE_POINTER });
    }
    checkPlatform(await this.scope.property(auth.companyId, propertyId), pkg);
    if (current === null) {
      const clash = await this.repository.findHeadByName(propertyId, 'extensions', manifest.name);
      if (clash !== undefined) {
        throw new ReactorError('not-unique', `Extension ${manifest.name} is already installed (${clash.id}).`, { pointer: '/data/relationships/extension_package' });
      }
    } else if (pkg.id !== current.extension_package_id) {
      checkUpgrade(current, manifest);
    }
    if (base.delegate_descriptor_id !== null) {
      this.delegates.check('extensions', base.delegate_descriptor_id, base.settings, pkg.id, manifest);
    }
    return { ...base, name: manifest.name, display_name: manifest.displayName, version: manifest.version, extension_package_id: pkg.id };
  }
}

function baseValues(attrs: RevisionedAttributes, current: RevisionedRow | null): BaseValues {
  const settings = attrs.settings !== undefined ? attrs.settings : (current?.settings ?? null);
  parseSettings(settings);
  return {
    name: attrs.name ?? current?.name ?? '',
    enabled: attrs.enabled ?? current?.enabled ?? true,
    settings,
    delegate_descriptor_id: attrs.delegate_descriptor_id !== undefined ? attrs.delegate_descriptor_id : (current?.delegate_descriptor_id ?? null),
  };
}

function manifestOf(pkg: ExtensionPackageRow | undefined): ExtensionManifest | null {
  return (pkg?.manifest ?? null) as ExtensionManifest | null;
}

/** A development package is its owner's only; a private one its owner's (and a seeded one everyone's). */
function visibleTo(pkg: ExtensionPackageRow, companyId: string): boolean {
  return (pkg.availability !== 'development' || pkg.owner_company_id === companyId) && (pkg.availability === 'public' || pkg.owner_company_id === companyId || pkg.owner_company_id === null);
}

/**
 * A package runs only on its own platform: a web package on an edge property (or core-edge on a web
 * one) is refused on install and on upgrade, as Adobe does. A package without a platform counts as web.
 */
function checkPlatform(property: { id: string; platform: string }, pkg: ExtensionPackageRow): void {
  const platform = pkg.platform ?? 'web';
  if (platform !== property.platform) {
    throw new ReactorError('extension-platform-mismatch', `Extension package ${pkg.id} (${pkg.name ?? '?'} ${pkg.version ?? '?'}) is for ${platform} properties; property ${property.id} is a ${property.platform} property.`, {
      pointer: '/data/relationships/extension_package',
      meta: { package_platform: platform, property_platform: property.platform },
    });
  }
}

/**
 * Attributes an edge library has no use for are refused on edge properties unless they hold the
 * value edge behaves as, never stored and dropped at build: data elements keep no value between
 * events (`storage_duration` must be null) and turbine-edge runs a rule's actions one after the
 * other (`delay_next` must stay true).
 */
function edgeRefuses<T>(platform: string, attribute: string, value: T, edgeValue: T): T {
  if (platform === 'edge' && value !== edgeValue) {
    throw new ReactorError('validation-error', `${attribute} has no meaning in an edge (event forwarding) property: leave it ${JSON.stringify(edgeValue)}.`, {
      pointer: `/data/attributes/${attribute}`,
    });
  }
  return value;
}

/** An installed extension moves only to a newer version of the same package (§2.8). */
function checkUpgrade(current: RevisionedRow, manifest: ExtensionManifest): void {
  if (manifest.name !== current.name) {
    throw new ReactorError('validation-error', `Extension ${current.id} is ${current.name}; it can only be upgraded to a version of the ${current.name} package, not ${manifest.name}.`, { pointer: PACKAGE_POINTER });
  }
  const order = compareVersions(manifest.version, current.version ?? '');
  if (order === null || order <= 0) {
    throw new ReactorError('validation-error', `An upgrade needs a newer version than the installed ${current.name} ${current.version ?? '?'}; this package is ${manifest.version}.`, { pointer: PACKAGE_POINTER });
  }
}
