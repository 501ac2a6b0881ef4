import { Inject, Injectable } from '@nestjs/common';
import type { ArchiveSnapshot, BuildPlatform, BuildSnapshot, DataElementSnapshot, ExtensionManifest, ExtensionSnapshot, RuleComponentSnapshot, RuleSnapshot, StorageDuration } from '@openexp/queue-contracts';
import type { ServerKeys } from '@openexp/server-keys';
import type { BuildRow, CompanyRow, EnvironmentRow, ExtensionPackageRow, HostRow, LibraryRow, PropertyRow, RevisionedRow } from '../database/schema';
import type { Db } from '../database/database';
import { archivePassphraseColumn } from '../environments/archive-passphrase';
import { libraryPath } from '../environments/environment-view';
import { ExtensionPackagesRepository } from '../extension-packages/extension-packages.repository';
import { hostSnapshot } from '../hosts/host-snapshot';
import { SERVER_KEYS } from '../keys/server-keys.provider';
import { RevisionedRepository } from '../revisioned/revisioned.repository';
import type { LibraryState } from '@openexp/queue-contracts';

export interface SnapshotInput {
  company: CompanyRow;
  property: PropertyRow;
  environment: EnvironmentRow;
  host: HostRow;
  library: LibraryRow;
  build: Pick<BuildRow, 'id' | 'token' | 'created_at'>;
  publicPath: string;
  /** Effective contents by origin id (own revisions over upstream). */
  contents: Map<string, RevisionedRow>;
}

/** The self-contained job payload the worker builds from (queue-contracts `BuildSnapshot`). */
@Injectable()
export class SnapshotBuilder {
  constructor(
    @Inject(SERVER_KEYS) private readonly keys: ServerKeys,
    private readonly revisioned: RevisionedRepository,
    private readonly packageRows: ExtensionPackagesRepository,
  ) {}

  async build(db: Db, input: SnapshotInput): Promise<BuildSnapshot> {
    const rows = [...input.contents.values()];
    const extensions = rows.filter((r) => r.type === 'extensions' && r.deleted_at === null);
    const packages = await this.packages(db, extensions);
    const names = this.extensionNames(db, extensions);
    const rules = rows.filter((r) => r.type === 'rules' && r.enabled && r.deleted_at === null);
    const components = await this.revisioned.componentsOfRules(
      db,
      rules.map((r) => r.id),
    );
    const dataElements = rows.filter((r) => r.type === 'data_elements' && r.enabled && r.deleted_at === null);
    return {
      ...this.place(input),
      environment: await this.environment(input),
      library: { id: input.library.id, name: input.library.name, state: input.library.state as LibraryState },
      build: { id: input.build.id, token: input.build.token, createdAt: input.build.created_at.toISOString() },
      host: hostSnapshot(input.host),
      extensions: extensions.flatMap((e) => extensionSnapshot(e, packages.get(e.extension_package_id ?? ''))),
      dataElements: await Promise.all(dataElements.map(async (d) => dataElementSnapshot(d, await names(d.extension_id)))),
      rules: await Promise.all(rules.map((rule) => this.rule(rule, components, names))),
    };
  }

  /** The extension name of an origin id: from the library's contents, else its head's (the worker reports it missing). */
  private extensionNames(db: Db, extensions: readonly RevisionedRow[]): (originId: string | null) => Promise<string> {
    const known = new Map(extensions.map((e) => [e.origin_id, e.name]));
    return async (originId) => {
      if (originId === null) {
        return '';
      }
      // Not in the library: the worker reports extension-not-found with this name.
      return known.get(originId) ?? (await this.revisioned.findById(originId, db))?.name ?? originId;
    };
  }

  private place(input: SnapshotInput): Pick<BuildSnapshot, 'company' | 'property'> {
    const { company, property } = input;
    return {
      company: { id: company.id, orgId: company.org_id, token: company.token },
      property: {
        id: property.id,
        name: property.name,
        token: property.token,
        settings: { domains: property.domains, undefinedVarsReturnEmpty: property.undefined_vars_return_empty, ruleComponentSequencingEnabled: property.rule_component_sequencing_enabled },
        // Only web and edge properties get here (BuildsService refuses the others before a snapshot).
        platform: property.platform as BuildPlatform,
      },
    };
  }

  private async environment(input: SnapshotInput): Promise<BuildSnapshot['environment']> {
    return {
      id: input.environment.id,
      name: input.environment.name,
      stage: input.environment.stage as BuildSnapshot['environment']['stage'],
      token: input.environment.token,
      path: input.publicPath,
      libraryPath: libraryPath({ companyToken: input.company.token, propertyToken: input.property.token }),
      archive: await this.archive(input.environment),
    };
  }

  /** A rule with its enabled components, by `order` then creation. */
  private async rule(rule: RevisionedRow, components: readonly RevisionedRow[], names: (originId: string | null) => Promise<string>): Promise<RuleSnapshot> {
    const own = components
      .filter((c) => c.rule_id === rule.id && c.enabled)
      .sort((a, b) => (a.order ?? 0) - (b.order ?? 0) || a.created_at.getTime() - b.created_at.getTime());
    return {
      id: rule.id,
      originId: rule.origin_id,
      name: rule.name,
      components: await Promise.all(own.map(async (c) => componentSnapshot(c, await names(c.extension_id)))),
    };
  }

  /** Archive settings; the passphrase only ever leaves the database encrypted to the server key. */
  private async archive(environment: EnvironmentRow): Promise<ArchiveSnapshot | null> {
    if (!environment.archive) {
      return null;
    }
    const encrypted = environment.archive_passphrase_encrypted ?? (await archivePassphraseColumn(this.keys, environment.archive_passphrase));
    return { encryptedPassphrase: encrypted };
  }

  private async packages(db: Db, extensions: RevisionedRow[]): Promise<Map<string, ExtensionPackageRow>> {
    const ids = extensions.map((e) => e.extension_package_id).filter((id): id is string => id !== null);
    const rows = await this.packageRows.findByIds(db, ids);
    return new Map(rows.map((r) => [r.id, r]));
  }
}

function extensionSnapshot(e: RevisionedRow, pkg: ExtensionPackageRow | undefined): ExtensionSnapshot[] {
  if (pkg === undefined || pkg.manifest === null) {
    return [];
  }
  const manifest = pkg.manifest as unknown as ExtensionManifest;
  return [
    {
      id: e.id,
      originId: e.origin_id,
      name: e.name,
      displayName: e.display_name ?? e.name,
      version: e.version ?? manifest.version,
      settings: e.settings,
      delegateDescriptorId: e.delegate_descriptor_id,
      extensionPackage: { id: pkg.id, name: manifest.name, version: manifest.version, filesPrefix: pkg.files_prefix ?? '', trusted: pkg.trusted, manifest },
    },
  ];
}

function dataElementSnapshot(d: RevisionedRow, extensionName: string): DataElementSnapshot {
  return {
    id: d.id,
    originId: d.origin_id,
    name: d.name,
    delegateDescriptorId: d.delegate_descriptor_id ?? '',
    settings: d.settings,
    defaultValue: d.default_value,
    forceLowerCase: d.force_lower_case ?? false,
    cleanText: d.clean_text ?? false,
    storageDuration: d.storage_duration as StorageDuration | null,
    extensionName,
  };
}

function componentSnapshot(c: RevisionedRow, extensionName: string): RuleComponentSnapshot {
  return {
    id: c.id,
    originId: c.origin_id,
    name: c.name,
    delegateDescriptorId: c.delegate_descriptor_id ?? '',
    settings: c.settings,
    order: c.order ?? 0,
    ruleOrder: c.rule_order ?? 50,
    negate: c.negate ?? false,
    timeout: c.timeout,
    delayNext: c.delay_next ?? true,
    extensionName,
  };
}
