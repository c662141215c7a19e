import type { Db, Queryable } from './db.js';

/**
 * What a `CountingDb` has seen since it was made (or last `reset`).
 *
 * - `statements`: SQL statements sent, `BEGIN` and `COMMIT` of a transaction
 *   included (a `ROLLBACK` counts as the `COMMIT` it replaces);
 * - `checkouts`: pool clients taken, i.e. one per `query` outside a
 *   transaction and one per `tx` (what waits when the pool is exhausted);
 * - `transactions`: how many of those checkouts were transactions.
 */
export interface DbCounts {
  statements: number;
  checkouts: number;
  transactions: number;
}

export interface CountingDb extends Db {
  readonly counts: Readonly<DbCounts>;
  reset(): void;
}

/**
 * Wrap a Db to count what goes through it (the statement counter of
 * `bench/compare.ts`). Exact, whatever the load: it counts calls, it does not
 * time them. Only the benchmark and tests wrap a Db; the runtime never does.
 */
export function countingDb(db: Db): CountingDb {
  const counts: DbCounts = { statements: 0, checkouts: 0, transactions: 0 };
  const counted = (q: Queryable): Queryable => ({
    query(sql, params) {
      counts.statements++;
      return q.query(sql, params);
    },
  });
  return {
    get kind() {
      return db.kind;
    },
    counts,
    reachable: () => db.reachable(),
    reset() {
      Object.assign(counts, { statements: 0, checkouts: 0, transactions: 0 });
    },
    query(sql, params) {
      counts.checkouts++;
      counts.statements++;
      return db.query(sql, params);
    },
    tx(fn) {
      counts.checkouts++;
      counts.transactions++;
      counts.statements += 2; // BEGIN, COMMIT
      return db.tx((q) => fn(counted(q)));
    },
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
  };
}
