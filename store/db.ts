import { mkdir } from 'node:fs/promises';
import pg from 'pg';
import type { Transaction } from '../core/ports/index.js';
import { lockDataDir } from './pglite-lock.js';

/** Something SQL can be run on: the database itself or one transaction (core's opaque `Transaction`). */
export interface Queryable extends Transaction {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/**
 * The store's connection: PostgreSQL through `pg`, or PGlite embedded in the
 * process. Both run the same SQL (PostgreSQL dialect, `$1` parameters).
 */
export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Run `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Run a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

// Timestamps come back as ISO strings, not Date objects, from both drivers.
pg.types.setTypeParser(1184, (v) => new Date(v).toISOString()); // timestamptz
pg.types.setTypeParser(20, (v) => Number(v)); // int8 (counts)

/**
 * PostgreSQL through a `pg` pool of `max` connections (10 by default).
 *
 * Every statement with parameters runs as a named prepared statement, its
 * name given by its text: PostgreSQL parses and plans it once per connection,
 * not at every call. The store's SQL texts are a fixed set (the few built
 * from filters have a bounded number of shapes), so the names are bounded too.
 */
export function openPostgres(url: string, options: { max?: number; schema?: string } = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => {});
  const names = new Map<string, string>();
  const nameOf = (sql: string) => {
    let name = names.get(sql);
    if (!name) names.set(sql, (name = `lt_${names.size + 1}`));
    return name;
  };
  const run = async <T>(c: pg.Pool | pg.PoolClient, sql: string, params?: unknown[]) =>
    (await (params === undefined ? c.query(sql) : c.query({ name: nameOf(sql), text: sql, values: params }))).rows as T[];
  return {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: (sql, params) => run(client, sql, params) });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

/** PGlite: `dataDir` on disk, or in memory when undefined. */
export async function openPglite(dataDir?: string): Promise<Db> {
  const { PGlite, types } = await import('@electric-sql/pglite');
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const release = dataDir ? await lockDataDir(dataDir) : async () => {};
  const db = new PGlite(dataDir);
  await db.waitReady;
  // Given per query: PGlite 0.5 does not apply the constructor's `parsers` option.
  const parsers = { [types.TIMESTAMPTZ]: (v: string) => new Date(v).toISOString(), [types.INT8]: (v: string) => Number(v) };
  type Q = Pick<typeof db, 'query'>;
  const run = async <T>(c: Q, sql: string, params?: unknown[]) => (await c.query<T>(sql, params, { parsers })).rows;
  return {
    kind: 'pglite',
    query: (sql, params) => run(db, sql, params),
    tx: (fn) => db.transaction((t) => fn({ query: (sql, params) => run(t, sql, params) })),
    async exec(sql) {
      await db.exec(sql);
    },
    async close() {
      await db.close();
      await release();
    },
  };
}

/** `DATABASE_URL` set → PostgreSQL (a pool of `poolMax` connections); otherwise PGlite under `dataDir`. */
export async function openDb(databaseUrl: string | undefined, dataDir: string, poolMax?: number): Promise<Db> {
  return databaseUrl ? openPostgres(databaseUrl, poolMax ? { max: poolMax } : {}) : openPglite(dataDir);
}
