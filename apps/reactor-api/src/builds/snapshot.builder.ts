import { Inject, Injectable } from '@nestjs/common';
import type { ArchiveSnapshot, BuildSnapshot, ExtensionManifest, ExtensionSnapshot, RuleSnapshot, StorageDuration } from '@openexp/queue-contracts';
import type { ServerKeys } from '@openexp/server-keys';
import type { BuildRow, CompanyRow, EnvironmentRow, ExtensionPackageRow, HostRow, LibraryRow, PropertyRow, RevisionedRow } from '../database/schema';
import type { Db } from '../database/database';
import { archivePassphraseColumn } from '../environments/archive-passphrase';
import { libraryPath } from '../environments/environment-view';
import { hostSnapshot } from '../hosts/host-snapshot';
import { SERVER_KEYS } from '../keys/server-keys.provider';
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
  constructor(@Inject(SERVER_KEYS) private readonly keys: ServerKeys) {}

  async build(db: Db, input: SnapshotInput): Promise<BuildSnapshot> {
    const rows = [...input.contents.values()];
    const extensions = rows.filter((r) => r.type === 'extensions' && r.deleted_at === null);
    const packages = await this.packages(db, extensions);
    const extensionNames = new Map(extensions.map((e) => [e.origin_id, e.name]));
    const rules = rows.filter((r) => r.type === 'rules' && r.enabled && r.deleted_at === null);
    const components = rules.length === 0 ? [] : await db.selectFrom('revisioned').selectAll().where('rule_id', 'in', rules.map((r) => r.id)).where('deleted_at', 'is', null).execute();
    const extensionNameOf = async (originId: string | null): Promise<string> => {
      if (originId === null) {
        return '';
      }
      const known = extensionNames.get(originId);
      if (known !== undefined) {
        return known;
      }
      // Not in the library: the worker reports extension-not-found with this name.
      const head = await db.selectFrom('revisioned').select('name').where('id', '=', originId).executeTakeFirst();
      return head?.name ?? originId;
    };
    const { host } = input;
    return {
      company: { id: input.company.id, orgId: input.company.org_id, token: input.company.token },
      property: {
        id: input.property.id,
        name: input.property.name,
        token: input.property.token,
        settings: {
          domains: input.property.domains,
          undefinedVarsReturnEmpty: input.property.undefined_vars_return_empty,
          ruleComponentSequencingEnabled: input.property.rule_component_sequencing_enabled,
        },
      },
      environment: {
        id: input.environment.id,
        name: input.environment.name,
        stage: input.environment.stage as BuildSnapshot['environment']['stage'],
        token: input.environment.token,
        path: input.publicPath,
        libraryPath: libraryPath({ companyToken: input.company.token, propertyToken: input.property.token }),
        archive: await this.archive(input.environment),
      },
      library: { id: input.library.id, name: input.library.name, state: input.library.state as LibraryState },
      build: { id: input.build.id, token: input.build.token, createdAt: input.build.created_at.toISOString() },
      host: hostSnapshot(host),
      extensions: extensions.flatMap((e): ExtensionSnapshot[] => {
        const pkg = packages.get(e.extension_package_id ?? '');
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
      }),
      dataElements: await Promise.all(
        rows
          .filter((r) => r.type === 'data_elements' && r.enabled && r.deleted_at === null)
          .map(async (d) => ({
            id: d.id,
            originId: d.origin_id,
            name: d.name,
            delegateDescriptorId: d.delegate_descriptor_id ?? '',
            settings: d.settings,
            defaultValue: d.default_value,
            forceLowerCase: d.force_lower_case ?? false,
            cleanText: d.clean_text ?? false,
            storageDuration: d.storage_duration as StorageDuration | null,
            extensionName: await extensionNameOf(d.extension_id),
          })),
      ),
      rules: await Promise.all(
        rules.map(
          async (rule): Promise<RuleSnapshot> => ({
            id: rule.id,
            originId: rule.origin_id,
            name: rule.name,
            components: await Promise.all(
              components
                .filter((c) => c.rule_id === rule.id && c.enabled)
                .sort((a, b) => (a.order ?? 0) - (b.order ?? 0) || a.created_at.getTime() - b.created_at.getTime())
                .map(async (c) => ({
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
                  extensionName: await extensionNameOf(c.extension_id),
                })),
            ),
          }),
        ),
      ),
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
    if (ids.length === 0) {
      return new Map();
    }
    const rows = await db.selectFrom('extension_packages').selectAll().where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r]));
  }
}
