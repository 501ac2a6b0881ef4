import { Injectable } from '@nestjs/common';
import type { Db } from '../database/database';

/** Told, inside the deleting transaction, that an environment is about to be deleted. */
export type EnvironmentRemovingListener = (tx: Db, environmentId: string) => Promise<void>;

/**
 * What environments tell the contexts above them, by registration, so environments imports none
 * of them (libraries let go of a deleted environment). Listeners register at start-up
 * (`onModuleInit`) and run in the transaction of the change.
 */
@Injectable()
export class EnvironmentEvents {
  private readonly removing: EnvironmentRemovingListener[] = [];

  onRemoving(listener: EnvironmentRemovingListener): void {
    this.removing.push(listener);
  }

  async beforeRemove(tx: Db, environmentId: string): Promise<void> {
    for (const listener of this.removing) {
      await listener(tx, environmentId);
    }
  }
}
