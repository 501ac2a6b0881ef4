import { Injectable } from '@nestjs/common';
import type { Db } from '../database/database';
import type { NewRevisioned } from '../database/schema';

/**
 * Writes the `core` extension head of a new property. Its own small repository (not
 * RevisionedRepository) because properties calls CoreInstaller: an import of revisioned from here
 * would close the folder cycle properties → extensions → revisioned → properties.
 */
@Injectable()
export class CoreExtensionRepository {
  async insertHead(tx: Db, row: NewRevisioned): Promise<void> {
    await tx.insertInto('revisioned').values(row).execute();
  }
}
