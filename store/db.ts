import { execFile } from 'node:child_process';
import { access, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { StoreUnavailable } from '../core/errors.js';
import type { Transaction } from '../core/ports/index.js';
import { lockDataDir } from './pglite-lock.js';
import type { PgliteThreadData, PgliteThreadReply, PgliteThreadRequest, ThreadError } from './pglite-thread.js';

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

/** PGlite's shared buffers (PostgreSQL's page cache inside the process) unless told otherwise: PostgreSQL's own default is 128 MB. */
export const PGLITE_SHARED_BUFFERS_MB = 32;

/**
 * PGlite: `dataDir` on disk, or in memory when undefined, run on a thread of
 * its own (store/pglite-thread.ts): PostgreSQL compiled to WebAssembly took
 * some 40 % of the process's one JavaScript thread under load, which the
 * gateway and the workers now have; each statement crosses threads as one
 * message each way.
 *
 * Memory: PGlite's heap (a WebAssembly memory) only grows. Creating a new
 * folder (initdb) grows it by some 450 MB in the instance that does it, so a
 * new folder is created by a short-lived child process, and this process
 * opens it as it would open an existing one. Its page cache is
 * `sharedBuffersMb` (given to PostgreSQL as `-c shared_buffers`, leaving
 * the folder's postgresql.conf alone); pages beyond it are read from the
 * folder, through the operating system's cache.
 */
export async function openPglite(dataDir?: string, options: { sharedBuffersMb?: number } = {}): Promise<Db> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const release = dataDir ? await lockDataDir(dataDir) : async () => {};
  let thread: PgliteThread;
  try {
    if (dataDir && !(await exists(path.join(dataDir, 'PG_VERSION')))) await createPgliteDir(dataDir);
    thread = await PgliteThread.start({ dataDir, sharedBuffersMb: options.sharedBuffersMb ?? PGLITE_SHARED_BUFFERS_MB, modules: await pgliteModules() });
  } catch (err) {
    await release();
    throw err;
  }
  const since = Date.now();
  const on = (tx?: number): Queryable => ({
    query: async <T>(sql: string, params?: unknown[]) => ((await thread.ask({ op: 'query', sql, params, tx })).rows ?? []) as T[],
  });
  return {
    kind: 'pglite',
    reachable: () => ({ up: true, since }),
    query: on().query,
    async tx(fn) {
      const { tx } = await thread.ask({ op: 'begin' });
      if (tx === undefined) throw new Error('the embedded database began no transaction');
      let result;
      try {
        result = await fn(on(tx));
      } catch (err) {
        // The caller's error is what it sees, even if the rollback fails too.
        await thread.ask({ op: 'end', tx, commit: false }).catch(() => undefined);
        throw err;
      }
      await thread.ask({ op: 'end', tx, commit: true });
      return result;
    },
    async exec(sql) {
      await thread.ask({ op: 'exec', sql });
    },
    async close() {
      await thread.close();
      await release();
    },
  };
}

/** A question to the thread (its id is added), and its answer. */
type Ask = PgliteThreadRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
type Answer = { rows?: unknown[]; tx?: number };

/**
 * The main thread's side of store/pglite-thread.ts: each `ask` one message,
 * answered by its reply. The thread keeps the process alive only while a
 * question waits for its answer (a forgotten `close` does not hold the exit).
 */
class PgliteThread {
  private readonly waiting = new Map<number, { resolve: (reply: Answer) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: PgliteThreadReply) => {
      const w = this.waiting.get(reply.id);
      if (!w) return;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if ('error' in reply) w.reject(fromThreadError(reply.error));
      else w.resolve(reply);
    });
    const fail = (err: Error) => {
      this.failure = new StoreUnavailable(`the embedded database's thread stopped: ${err.message}`);
      for (const w of this.waiting.values()) w.reject(this.failure);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  }

  static async start(data: PgliteThreadData): Promise<PgliteThread> {
    // Under tsx (and the tests) the thread's module is TypeScript too, loaded through tsx's API
    // (a worker given `--import tsx` does not load .ts files: privatenumber/tsx#354).
    const file = new URL(`./pglite-thread${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url);
    const worker = file.pathname.endsWith('.ts')
      ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => tsx.tsImport(${JSON.stringify(file.href)}, ${JSON.stringify(file.href)}))`, { eval: true, workerData: data })
      : new Worker(file, { workerData: data });
    const thread = new PgliteThread(worker);
    try {
      await new Promise<void>((resolve, reject) => thread.waiting.set(0, { resolve: () => resolve(), reject }));
    } catch (err) {
      await worker.terminate();
      throw err;
    }
    return thread;
  }

  ask(question: Ask): Promise<Answer> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    if (this.waiting.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...question });
    });
  }

  async close(): Promise<void> {
    if (!this.failure) await this.ask({ op: 'close' });
    await this.worker.terminate();
  }
}

function fromThreadError(e: ThreadError): Error {
  const err = Object.assign(new Error(e.message), e.fields);
  if (e.name) err.name = e.name;
  return err;
}

let compiled: Promise<PgliteThreadData['modules']> | undefined;
/** PGlite's two WebAssembly modules, compiled on first use and shared by every thread of the process. */
function pgliteModules(): Promise<PgliteThreadData['modules']> {
  compiled ??= (async () => {
    // The global WebAssembly is there at run time; this project's TypeScript libs declare only its types.
    const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> } }).WebAssembly;
    const compile = async (name: string) => wasm.compile(await readFile(new URL(name, import.meta.resolve('@electric-sql/pglite'))));
    const [pglite, initdb] = await Promise.all([compile('./pglite.wasm'), compile('./initdb.wasm')]);
    return { pglite, initdb };
  })();
  return compiled;
}

const exists = (file: string) => access(file).then(() => true, () => false);

/** Create a PGlite folder (initdb) in a child process, whose memory goes when it exits. */
async function createPgliteDir(dataDir: string): Promise<void> {
  const module = JSON.stringify(import.meta.resolve('@electric-sql/pglite'));
  // PGlite's file system errors carry only an errno (Emscripten's numbering): printed as one line.
  const script = `try { const { PGlite } = await import(${module}); const db = new PGlite(process.argv[1]); await db.waitReady; await db.close(); }
    catch (e) { console.error(e?.message || (e?.errno ? 'file system error (errno ' + e.errno + ')' : String(e))); process.exit(1); }`;
  try {
    await promisify(execFile)(process.execPath, ['--input-type=module', '--eval', script, dataDir], { timeout: 120_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const why = e.stderr?.trim().split('\n').at(-1) || e.message;
    throw new Error(`creating the embedded database in ${dataDir} failed: ${why}`);
  }
}

/** `DATABASE_URL` set → PostgreSQL (a pool of `poolMax` connections); otherwise PGlite under `dataDir`. */
export async function openDb(
  databaseUrl: string | undefined,
  dataDir: string,
  options: { poolMax?: number; connectTimeoutMs?: number; sharedBuffersMb?: number } = {},
): Promise<Db> {
  const { poolMax, connectTimeoutMs, sharedBuffersMb } = options;
  return databaseUrl
    ? openPostgres(databaseUrl, { ...(poolMax ? { max: poolMax } : {}), ...(connectTimeoutMs ? { connectTimeoutMs } : {}) })
    : openPglite(dataDir, sharedBuffersMb ? { sharedBuffersMb } : {});
}
