import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type { Pool, PoolClient } from 'pg';

/** How Kysely opens and ends transactions (`begin`, `start transaction isolation level …`, `commit`, `rollback`). */
const TRANSACTION_START = /^(?:begin|start transaction)\b/i;
const TRANSACTION_END = /^(?:commit|rollback)$/i;

/** SQLSTATE 0A000 with this message: a prepared `select *` after its table gained a column. */
const STALE_PLAN = 'cached plan must not change result type';

/**
 * Names for the SQL texts this process runs again and again. Kysely compiles one query shape to
 * the same text every time, so the hot reads (a resource by id, a page of a list) are a handful
 * of texts; the second time a text is seen it gets a name, and PostgreSQL then keeps it parsed and
 * planned per connection instead of parsing and planning it on every request (measured: about half
 * of the database's CPU per `GET /rules/{id}`). One-off statements (migrations, DDL) never get a
 * name, and at most `max` texts do, which bounds what each connection keeps.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();
  private readonly seen = new Map<string, number>();
  private serial = 0;

  constructor(private readonly max = 200) {}

  nameFor(text: string): string | undefined {
    const name = this.names.get(text);
    if (name !== undefined || this.names.size >= this.max) {
      return name;
    }
    if (!this.seen.has(text)) {
      if (this.seen.size >= 10_000) {
        this.seen.clear();
      }
      this.seen.set(text, 1);
      return undefined;
    }
    this.seen.delete(text);
    const fresh = `openexp_${this.serial++}`;
    this.names.set(text, fresh);
    return fresh;
  }

  /** Drops a name whose statement went stale; the text gets a new name when seen again. */
  retire(text: string): void {
    this.names.delete(text);
  }

  get size(): number {
    return this.names.size;
  }
}

/**
 * A `pg` pool for Kysely whose clients run hot statements as named (server-side prepared)
 * statements. Statements inside a transaction stay unnamed: a stale plan there would abort the
 * transaction, and transactions are writes, which are not the hot path. A statement whose plan went
 * stale under a schema change (another replica migrated) is retried once under a new name.
 */
export class NamedStatementPool implements PostgresPool {
  private readonly clients = new WeakMap<PoolClient, NamingClient>();

  constructor(
    private readonly pool: Pool,
    private readonly names: StatementNames,
  ) {}

  async connect(): Promise<PostgresPoolClient> {
    const client = await this.pool.connect();
    let naming = this.clients.get(client);
    if (naming === undefined) {
      naming = new NamingClient(client, this.names);
      this.clients.set(client, naming);
    }
    return naming;
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

class NamingClient implements PostgresPoolClient {
  private inTransaction = false;

  constructor(
    private readonly client: PoolClient,
    private readonly names: StatementNames,
  ) {}

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(sqlOrCursor: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sqlOrCursor !== 'string') {
      return this.client.query(sqlOrCursor as never) as unknown as PostgresCursor<R>;
    }
    return this.run<R>(sqlOrCursor, parameters ?? []);
  }

  release(): void {
    this.client.release();
  }

  private async run<R>(text: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
    const values = parameters as unknown[];
    if (this.inTransaction || TRANSACTION_START.test(text)) {
      this.inTransaction = !TRANSACTION_END.test(text);
      return this.client.query(text, values) as unknown as Promise<PostgresQueryResult<R>>;
    }
    const name = this.names.nameFor(text);
    if (name === undefined) {
      return this.client.query(text, values) as unknown as Promise<PostgresQueryResult<R>>;
    }
    try {
      return (await this.client.query({ name, text, values })) as unknown as PostgresQueryResult<R>;
    } catch (error) {
      if ((error as { code?: string }).code !== '0A000' || !String((error as Error).message).includes(STALE_PLAN)) {
        throw error;
      }
      this.names.retire(text);
      return this.client.query(text, values) as unknown as Promise<PostgresQueryResult<R>>;
    }
  }
}
