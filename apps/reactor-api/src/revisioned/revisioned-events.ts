import { Injectable } from '@nestjs/common';
import type { Db } from '../database/database';

/** Told, inside the transaction of the change, that an extension head moved to another package version. */
export type ExtensionUpgradedListener = (tx: Db, extensionOriginId: string, packageId: string) => Promise<void>;

/**
 * What revisioned resources tell the contexts above them (libraries mark their `stale` flag), by
 * registration, so revisioned imports none of them: a listener registers at start-up
 * (`onModuleInit`) and runs in the transaction of the change, so a failing listener rolls it back.
 */
@Injectable()
export class RevisionedEvents {
  private readonly upgraded: ExtensionUpgradedListener[] = [];

  onExtensionUpgraded(listener: ExtensionUpgradedListener): void {
    this.upgraded.push(listener);
  }

  async extensionUpgraded(tx: Db, extensionOriginId: string, packageId: string): Promise<void> {
    for (const listener of this.upgraded) {
      await listener(tx, extensionOriginId, packageId);
    }
  }
}
