import type { Compilable, CompiledQuery } from 'kysely';
import type { Db } from './database';

/** Values a prepared query binds: they only ever become parameters, never change the SQL. */
export type Scalar = string | number | boolean | Date;

class Slot {
  constructor(readonly name: string) {}
}

/**
 * A Kysely query built and compiled once, then run with new values: for the reads every request
 * makes (a resource by id in the caller's company), where building and compiling the query cost
 * about as much as the rest of the request's own JavaScript. `build` receives placeholders, so it
 * must use each argument only as a value (`where(col, '=', args.x)`), never branch on it.
 * The same SQL text each time also lets the pool run it as a named statement (named-statements.ts).
 */
export class PreparedQuery<A extends Record<string, Scalar>, R> {
  private readonly compiled = new WeakMap<Db, { query: CompiledQuery<R>; slots: (string | undefined)[] }>();

  constructor(private readonly build: (db: Db, args: A) => Compilable<R>) {}

  async execute(db: Db, args: A): Promise<R[]> {
    let entry = this.compiled.get(db);
    if (entry === undefined) {
      const used = new Set<string>();
      const placeholders = new Proxy({} as A, {
        get: (_target, name) => {
          used.add(String(name));
          return new Slot(String(name));
        },
      });
      const query = this.build(db, placeholders).compile();
      const slots = query.parameters.map((p) => (p instanceof Slot ? p.name : undefined));
      const lost = [...used].filter((name) => !slots.includes(name));
      if (lost.length > 0) {
        throw new Error(`PreparedQuery: ${lost.join(', ')} did not become parameters: ${query.sql}`);
      }
      entry = { query, slots };
      this.compiled.set(db, entry);
    }
    const { query, slots } = entry;
    const parameters = slots.map((name, i) => (name === undefined ? query.parameters[i] : args[name]));
    const result = await db.executeQuery<R>({ ...query, parameters });
    return result.rows;
  }

  async executeTakeFirst(db: Db, args: A): Promise<R | undefined> {
    return (await this.execute(db, args))[0];
  }
}
