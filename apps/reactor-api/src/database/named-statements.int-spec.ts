import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { Client } from 'pg';
import { openDatabase, type Db } from './database';

// Named statements exist only on the `pg` driver. With TEST_DATABASE_URL (CI) the PostgreSQL tests
// run; without it (PGlite) the file proves the embedded database never names statements and still
// answers repeated queries: one of the two blocks always runs, nothing is skipped.
const url = process.env['TEST_DATABASE_URL'];

if (url === undefined) {
  describe('named statements on PGlite (no TEST_DATABASE_URL)', () => {
    it('are never created: repeated queries run as plain ones and answer', async () => {
      const db = await openDatabase({ url: undefined, dataDir: null, schema: undefined });
      try {
        await sql`create table probe (a integer not null)`.execute(db);
        await sql`insert into probe values (1), (2)`.execute(db);
        for (let i = 0; i < 3; i++) {
          expect((await sql<{ a: number }>`select * from probe where a = ${2}`.execute(db)).rows).toEqual([{ a: 2 }]);
        }
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements where name like 'openexp_%'`.execute(db);
        expect(rows[0]?.n).toBe(0);
      } finally {
        await db.destroy();
      }
    });
  });
} else {
  postgresSuite(url);
}

function postgresSuite(url: string): void {
  describe('named statements on PostgreSQL', () => {
    const schema = `t_${randomUUID().replace(/-/g, '')}`;
    let db: Db;
    const prepared = async (): Promise<string[]> => {
      const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements where name like 'openexp_%'`.execute(db);
      return rows.map((r) => r.statement);
    };
    const ddl = async (statement: string): Promise<void> => {
      const client = new Client({ connectionString: url, options: `-c search_path=${schema}` });
      await client.connect();
      try {
        await client.query(statement);
      } finally {
        await client.end();
      }
    };

    beforeAll(async () => {
      // One connection, so pg_prepared_statements shows the session the queries ran in.
      db = await openDatabase({ url, dataDir: null, schema, poolSize: 1 });
      await sql`create table probe (a integer not null)`.execute(db);
      await sql`insert into probe values (1), (2)`.execute(db);
    });
    afterAll(async () => {
      await db?.destroy();
      await ddl(`drop schema if exists "${schema}" cascade`);
    });

    it('a statement run twice is prepared once and reused; one run once is not', async () => {
      const read = () => sql<{ a: number }>`select * from probe where a = ${1}`.execute(db);
      await sql`select * from probe where a > ${0}`.execute(db);
      expect((await read()).rows).toEqual([{ a: 1 }]);
      expect(await prepared()).not.toContain('select * from probe where a = $1');
      expect((await read()).rows).toEqual([{ a: 1 }]);
      expect((await read()).rows).toEqual([{ a: 1 }]);
      const statements = await prepared();
      expect(statements.filter((s) => s === 'select * from probe where a = $1')).toHaveLength(1);
      expect(statements).not.toContain('select * from probe where a > $1');
    });

    it('a prepared select * survives its table gaining a column (stale plan retried under a new name)', async () => {
      const read = () => sql<Record<string, unknown>>`select * from probe where a = ${2}`.execute(db);
      await read();
      await read();
      await ddl('alter table probe add column b text');
      expect((await read()).rows).toEqual([{ a: 2, b: null }]);
      await read();
      expect((await read()).rows).toEqual([{ a: 2, b: null }]);
    });

    it('are never created with preparedStatements: false (DATABASE_PREPARED_STATEMENTS=false, for PgBouncer)', async () => {
      const plain = await openDatabase({ url, dataDir: null, schema, poolSize: 1, preparedStatements: false });
      try {
        for (let i = 0; i < 3; i++) {
          expect((await sql<{ a: number }>`select a from probe where a = ${1} and a < ${10}`.execute(plain)).rows).toEqual([{ a: 1 }]);
        }
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements`.execute(plain);
        expect(rows[0]?.n).toBe(0);
      } finally {
        await plain.destroy();
      }
    });

    it('statements inside a transaction stay unnamed, and a rolled back transaction leaves nothing behind', async () => {
      const before = await prepared();
      await db.transaction().execute(async (tx) => {
        for (let i = 0; i < 3; i++) {
          await sql`select count(*) from probe where a <> ${i}`.execute(tx);
        }
      });
      await expect(
        db.transaction().execute(async (tx) => {
          await sql`insert into probe values (${3})`.execute(tx);
          await sql`insert into probe values (${3})`.execute(tx);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await prepared()).toEqual(before);
      expect((await sql<{ n: number }>`select count(*)::int as n from probe`.execute(db)).rows[0]?.n).toBe(2);
    });
  });
}
