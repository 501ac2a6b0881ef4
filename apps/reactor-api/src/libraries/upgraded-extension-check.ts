import { ReactorError, ReactorErrors } from '@openexp/errors';
import type { LibraryRow, RevisionedRow } from '../database/schema';
import { compareVersions } from '../extensions/semver';

export type ExtensionRevision = Pick<RevisionedRow, 'id' | 'origin_id' | 'name' | 'version' | 'revision_number' | 'published' | 'deleted_at'>;

/**
 * §4.1 `upgraded-extension-required`: once an extension has been upgraded, every build must carry
 * the upgrade until it reaches production.
 *
 * An extension counts as upgraded-but-not-in-production when its newest revision's package version
 * is above its production version: the version of its latest published revision, or, if it was
 * never published, the lowest version among its revisions. The library's effective contents (own
 * revisions over upstream, §2.5) must then hold a revision of that extension at that version or
 * newer. An upgraded head that was not revised yet requires nothing (there is nothing to add).
 * `rows`: every extension row (heads and revisions) of the library's property.
 */
export function assertUpgradedExtensionsIncluded(
  rows: readonly ExtensionRevision[],
  library: Pick<LibraryRow, 'id'>,
  contents: ReadonlyMap<string, Pick<RevisionedRow, 'version' | 'deleted_at'>>,
): void {
  const required = upgradesNotInProduction(rows);
  if (required.length === 0) {
    return;
  }
  const problems = required.flatMap((upgrade) => {
    const carried = contents.get(upgrade.origin_id);
    const version = carried === undefined || carried.deleted_at !== null ? null : carried.version;
    const order = version === null ? null : compareVersions(version, upgrade.version ?? '');
    if (order !== null && order >= 0) {
      return [];
    }
    const has = version === null ? 'does not include it' : `includes ${version}`;
    return [
      new ReactorError(
        'upgraded-extension-required',
        `Extension ${upgrade.name} was upgraded to ${upgrade.version ?? '?'} (revision ${upgrade.id}), which is not in production yet; library ${library.id} ${has}. Add that revision (or a newer one) before building.`,
      ),
    ];
  });
  ReactorErrors.throwIfAny(problems);
}

/** For each extension (head not deleted) whose newest revision is an upgrade not yet in production: that revision. */
export function upgradesNotInProduction(rows: readonly ExtensionRevision[]): ExtensionRevision[] {
  const byOrigin = new Map<string, ExtensionRevision[]>();
  for (const row of rows) {
    const revisions = byOrigin.get(row.origin_id) ?? [];
    revisions.push(row);
    byOrigin.set(row.origin_id, revisions);
  }
  const out: ExtensionRevision[] = [];
  for (const [origin, all] of byOrigin) {
    const head = all.find((r) => r.id === origin);
    const revisions = all.filter((r) => r.revision_number > 0 && r.version !== null).sort((a, b) => a.revision_number - b.revision_number);
    if (head?.deleted_at != null || revisions.length === 0) {
      continue;
    }
    const newest = revisions.reduce((best, r) => ((compareVersions(r.version ?? '', best.version ?? '') ?? 0) > 0 ? r : best));
    const published = revisions.filter((r) => r.published);
    const production =
      published.length > 0
        ? (published[published.length - 1] as ExtensionRevision)
        : revisions.reduce((low, r) => ((compareVersions(r.version ?? '', low.version ?? '') ?? 0) < 0 ? r : low));
    if ((compareVersions(newest.version ?? '', production.version ?? '') ?? 0) > 0) {
      out.push(newest);
    }
  }
  return out;
}
