import { Injectable } from '@nestjs/common';
import type { Db } from '../database/database';

/** Told, inside the deleting transaction, that an environment is about to be deleted. */
export type EnvironmentRemovingListener = (tx: Db, environmentId: string) => Promise<void>;

/** The library assigned to each of the environments that have one, by environment id. */
export type AssignedLibrariesLookup = (db: Db, environmentIds: readonly string[]) => Promise<ReadonlyMap<string, string>>;

/**
 * What environments tell the contexts above them, and ask them, by registration, so environments
 * imports none of them: libraries let go of a deleted environment, and answer which library is
 * assigned to an environment (its `library` relationship). Both register at start-up
 * (`onModuleInit`); listeners run in the transaction of the change.
 */
@Injectable()
export class EnvironmentEvents {
  private readonly removing: EnvironmentRemovingListener[] = [];
  private assigned: AssignedLibrariesLookup | undefined;

  onRemoving(listener: EnvironmentRemovingListener): void {
    this.removing.push(listener);
  }

  answerAssignedLibraries(lookup: AssignedLibrariesLookup): void {
    if (this.assigned !== undefined) {
      throw new Error('the assigned-libraries lookup is registered twice');
    }
    this.assigned = lookup;
  }

  assignedLibraries(db: Db, environmentIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    if (this.assigned === undefined) {
      throw new Error('no assigned-libraries lookup is registered (the libraries context registers it at start-up)');
    }
    return this.assigned(db, environmentIds);
  }

  async beforeRemove(tx: Db, environmentId: string): Promise<void> {
    for (const listener of this.removing) {
      await listener(tx, environmentId);
    }
  }
}
