import { readFile } from 'node:fs/promises';
import {
  CatalogLoadError,
  findWritableCatalog,
  readRecordFields,
  RecordEditError,
  RecordFileWriter,
  RecordLockLostError,
  RecordLockTimeoutError,
  removeRecord,
  upsertRecord,
  type RecordFieldValues,
  type RecordFilesContent,
  type WritableCatalog,
} from '@openexp/catalogs';
import { ReactorError } from '@openexp/errors';
import { storageError } from './asset-storage';
import { stampOf, type PublicationStamp } from './publication-stamp';

/** The record an asset has now: the file holding the served row, its fields and stamp. */
export interface CurrentRecord {
  file: string;
  fields: ReadonlyMap<string, string>;
  stamp: PublicationStamp | undefined;
}

/** What a publish does, decided from the current record while its files are locked. */
export type PublishDecision = { write: RecordFieldValues } | { skip: string };

/**
 * image-server's catalogs as the worker writes them: finds a catalog by RootId and updates its
 * record files through libs/catalogs' record writer (lock, temp-then-rename). A record is written
 * to the last `CatalogFile` that holds it (a later file's row wins), or, when new, to the last one.
 */
export class AssetCatalogRepository {
  constructor(
    private readonly catalogRoot: string,
    private readonly rootPath: string,
    private readonly writer: RecordFileWriter,
  ) {}

  /** @throws ReactorError asset-catalog-not-found, asset-catalog-error */
  async locate(rootId: string): Promise<WritableCatalog> {
    const catalog = await this.guard('read the catalog folder', () => findWritableCatalog(this.catalogRoot, this.rootPath, rootId));
    if (catalog === undefined) {
      throw new ReactorError('asset-catalog-not-found', `No catalog has the RootId ${JSON.stringify(rootId)}.`, { meta: { catalog: rootId } });
    }
    if (catalog.catalogFiles.length === 0) {
      throw new ReactorError('asset-catalog-error', `Catalog ${rootId} has no CatalogFile to publish records into; add one to its .ini.`, {
        meta: { catalog: rootId },
      });
    }
    return catalog;
  }

  /** The asset's record now (read without the lock: a hint; decisions are taken again under it). */
  async current(catalog: WritableCatalog, assetId: string): Promise<CurrentRecord | undefined> {
    const content = new Map<string, Buffer | undefined>();
    for (const file of catalog.catalogFiles) {
      content.set(file, await this.guard('read a record file', () => readFile(file).catch(() => undefined)));
    }
    return this.guard('read a record file', () => Promise.resolve(currentIn(catalog, content, assetId)));
  }

  /** Writes the record `decide` returns (or nothing), all under the locks of the catalog's record files. */
  async publish(catalog: WritableCatalog, assetId: string, decide: (current: CurrentRecord | undefined) => PublishDecision): Promise<PublishDecision> {
    return this.guard('update the record file', () =>
      this.writer.transact<PublishDecision>(catalog.catalogFiles, (content) => {
        const current = currentIn(catalog, content, assetId);
        const decision = decide(current);
        if ('skip' in decision) {
          return { writes: new Map(), value: decision };
        }
        const file = current?.file ?? (catalog.catalogFiles.at(-1) as string);
        return { writes: new Map([[file, upsertRecord(content.get(file), file, assetId, decision.write)]]), value: decision };
      }),
    );
  }

  /** Removes every row of the asset from the catalog's record files unless `keep` says the current record stays. */
  async unpublish(catalog: WritableCatalog, assetId: string, keep: (current: CurrentRecord) => boolean): Promise<'removed' | 'absent' | 'kept'> {
    return this.guard('update the record file', () =>
      this.writer.transact(catalog.catalogFiles, (content) => {
        const current = currentIn(catalog, content, assetId);
        if (current === undefined || keep(current)) {
          return { writes: new Map(), value: current === undefined ? ('absent' as const) : ('kept' as const) };
        }
        const writes = new Map<string, Buffer>();
        for (const [file, data] of content) {
          const next = data === undefined ? undefined : removeRecord(data, file, assetId);
          if (next !== undefined) {
            writes.set(file, next);
          }
        }
        return { writes, value: 'removed' as const };
      }),
    );
  }

  /** Runs a step, turning library and file-system failures into deferred errors. */
  private async guard<T>(what: string, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      if (error instanceof CatalogLoadError) {
        throw new ReactorError('asset-catalog-error', `The catalog cannot be updated: ${error.message.replace(this.catalogRoot, '<catalog root>')}`, { cause: error });
      }
      if (error instanceof RecordEditError) {
        throw new ReactorError('asset-record-invalid', error.message, { cause: error });
      }
      if (error instanceof RecordLockTimeoutError || error instanceof RecordLockLostError) {
        throw new ReactorError('asset-storage-error', 'The catalog record file stayed locked by another writer; the job will be retried.', { cause: error });
      }
      throw storageError(what, error);
    }
  }
}

/** The served record of `assetId` among the files' content (the last file holding it wins). */
function currentIn(catalog: WritableCatalog, content: RecordFilesContent, assetId: string): CurrentRecord | undefined {
  let found: CurrentRecord | undefined;
  for (const file of catalog.catalogFiles) {
    const data = content.get(file);
    const fields = data === undefined ? undefined : readRecordFields(data, file, assetId);
    if (fields !== undefined) {
      found = { file, fields, stamp: stampOf(fields) };
    }
  }
  return found;
}
