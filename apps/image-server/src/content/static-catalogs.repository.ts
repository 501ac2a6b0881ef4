import { Inject, Injectable } from '@nestjs/common';
import { decodeCatalogText, parseTsv, readRecords, type Catalog, type CatalogRecord } from '@openexp/catalogs';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Logger } from 'pino';

const NONE: ReadonlyMap<string, CatalogRecord> = new Map();

/**
 * Static content catalogs (`attribute::StaticContentCatalogFile`, image-serving.md §2.4 and §4.1):
 * record files of the same tab-separated format as `CatalogFile`, read with the same record
 * parser (fields `Id`, `Path`, `Expiration`, `TimeStamp`, `UserData`, `UserType`; others are
 * ignored for static content). Like `CatalogFile`, the attribute belongs to its own `.ini` and is
 * not inherited; paths are relative to the catalog folder; a comma list is read in order (later
 * rows win).
 *
 * Read on the first `/is/content` request for each catalog version and remembered with it, so a
 * catalog reload (touch the `.ini` after changing the file, as for every catalog data file, §4.1)
 * brings the new records. A file that cannot be read or parsed is logged and contributes no
 * records; its catalog's image records and path objects are still served.
 */
@Injectable()
export class StaticCatalogsRepository {
  private readonly memo = new WeakMap<Catalog, Promise<ReadonlyMap<string, CatalogRecord>>>();
  private readonly log: Logger;

  constructor(@Inject(ROOT_LOGGER) rootLogger: Logger) {
    this.log = rootLogger.child({ component: 'static-content' });
  }

  /** The static content records of this catalog version (empty without `StaticContentCatalogFile`). */
  records(catalog: Catalog): Promise<ReadonlyMap<string, CatalogRecord>> {
    let records = this.memo.get(catalog);
    if (records === undefined) {
      records = this.load(catalog);
      this.memo.set(catalog, records);
    }
    return records;
  }

  private async load(catalog: Catalog): Promise<ReadonlyMap<string, CatalogRecord>> {
    const value = catalog.attributeFile.entries.get('staticcontentcatalogfile')?.value.trim() ?? '';
    if (value === '') {
      return NONE;
    }
    const files = value.split(',').map((f) => f.trim()).filter((f) => f !== '').map((f) => (isAbsolute(f) ? f : resolve(dirname(catalog.file), f)));
    const records = new Map<string, CatalogRecord>();
    const warnings: string[] = [];
    try {
      for (const file of files) {
        await readRecords(parseTsv(decodeCatalogText(await readFile(file)), file), records, warnings);
      }
    } catch (err) {
      this.log.error({ catalog: catalog.rootId, files, err }, 'StaticContentCatalogFile cannot be read; its items are not served until the catalog is reloaded');
      return NONE;
    }
    if (warnings.length > 0) {
      this.log.warn({ catalog: catalog.rootId, warnings }, 'StaticContentCatalogFile has problems');
    }
    this.log.info({ catalog: catalog.rootId, records: records.size }, 'static content records loaded');
    return records;
  }
}
