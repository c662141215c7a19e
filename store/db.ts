import { mkdir } from 'node:fs/promises';
import pg from 'pg';
import { StoreUnavailable } from '../core/errors.js';
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
  /**
   * Can the database be reached, as last seen? False from the first
   * connection failure until a probe (every second meanwhile) gets through:
   * the gateway answers writes 503 at once while it is false.
   */
  reachable(): { up: boolean; since: number; error?: string };
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN', '57P01', '57P02', '57P03']);

/** A failure to reach PostgreSQL (not an error of the statement itself). */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && (CONNECTION_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /timeout exceeded when trying to connect|Connection terminated|connection timeout|Client has encountered a connection error/i.test(message);
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
export function openPostgres(url: string, options: { max?: number; schema?: string; connectTimeoutMs?: number } = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    // A database that does not answer must not hold requests: a new connection gives up after this.
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
    keepAlive: true,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  const state: { up: boolean; since: number; error?: string } = { up: true, since: Date.now() };
  let probe: NodeJS.Timeout | undefined;
  let closed = false;
  const down = (err: unknown) => {
    if (!state.up) return;
    Object.assign(state, { up: false, since: Date.now(), error: (err as Error).message });
    probe = setInterval(() => {
      pool.query('select 1').then(() => {
        clearInterval(probe);
        Object.assign(state, { up: true, since: Date.now(), error: undefined });
      }, () => {});
    }, 1000);
    probe.unref();
  };
  /** Connection failures become StoreUnavailable (503) and mark the database down. */
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      if (!closed && isConnectionError(err)) {
        down(err);
        throw new StoreUnavailable((err as Error).message);
      }
      throw err;
    }
  };
  // An idle client losing its connection must not crash the process; it tells us the database went away.
  pool.on('error', (err) => {
    if (!closed && isConnectionError(err)) down(err);
  });
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
    reachable: () => ({ ...state }),
    query: (sql, params) => guard(() => run(pool, sql, params)),
    async tx(fn) {
      const client = await guard(() => pool.connect());
      let broken: Error | undefined;
      // A connection lost while checked out is an 'error' event on the client: without a listener, it would crash the process.
      const onLost = (err: Error) => {
        broken = err;
        if (!closed) down(err);
      };
      client.on('error', onLost);
      try {
        await client.query('BEGIN');
        const result = await fn({ query: (sql, params) => run(client, sql, params) });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        if (isConnectionError(err)) broken = err as Error;
        if (!closed && isConnectionError(err)) {
          down(err);
          throw new StoreUnavailable((err as Error).message);
        }
        throw err;
      } finally {
        // A client whose connection broke is thrown away, not handed out again.
        client.off('error', onLost);
        client.release(broken);
      }
    },
    async exec(sql) {
      await guard(() => pool.query(sql));
    },
    close: () => {
      closed = true;
      clearInterval(probe);
      return pool.end();
    },
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
  const since = Date.now();
  return {
    kind: 'pglite',
    reachable: () => ({ up: true, since }),
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
export async function openDb(databaseUrl: string | undefined, dataDir: string, options: { poolMax?: number; connectTimeoutMs?: number } = {}): Promise<Db> {
  const { poolMax, connectTimeoutMs } = options;
  return databaseUrl ? openPostgres(databaseUrl, { ...(poolMax ? { max: poolMax } : {}), ...(connectTimeoutMs ? { connectTimeoutMs } : {}) }) : openPglite(dataDir);
}
