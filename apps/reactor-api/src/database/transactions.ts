import { Inject, Injectable } from '@nestjs/common';
import { DB, type Db } from './database';

/**
 * Runs work in one database transaction (issue 18 item 2). Services decide WHAT must be atomic and
 * hand the transaction to the repositories they call; repositories own the SQL. A repository method
 * that may run inside a transaction takes the executor (`db: Db`, a `Kysely` or a transaction of it)
 * as its first argument.
 */
@Injectable()
export class Transactions {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** Runs `work` in a transaction: committed when it resolves, rolled back when it throws. */
  run<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }
}
