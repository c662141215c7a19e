import type { Transaction, Transactions } from '../core/ports/index.js';
import type { Db, Queryable } from './db.js';

/** The store's transactions as core's {@link Transactions} port: a transaction is a `Queryable`. */
export function transactions(db: Db): Transactions {
  return {
    tx: (fn) => db.tx((q) => fn(q)),
    snapshot: (fn) =>
      db.tx(async (q) => {
        await q.query('set transaction isolation level repeatable read, read only');
        return fn(q);
      }),
  };
}

/** The SQL connection behind a core {@link Transaction} (only the store made it, so it is one). */
export const sql = (tx: Transaction | Queryable): Queryable => tx as Queryable;
