/**
 * The embedded database's own thread (store/db.ts, `openPglite`): PGlite
 * runs PostgreSQL compiled to WebAssembly, which would otherwise take some
 * 40 % of the gateway's thread under load. This thread owns the PGlite
 * instance and answers the messages of `PgliteThreadRequest`, one reply
 * each (`PgliteThreadReply`), the rows converted as the store reads them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';

export type PgliteThreadRequest =
  | { id: number; op: 'query'; sql: string; params?: unknown[]; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'close' };

/** An error as it crosses threads: its message and its PostgreSQL fields (code, detail, constraint…). */
export type ThreadError = { message: string; name?: string; fields: Record<string, unknown> };

export type PgliteThreadReply = { id: number; rows?: unknown[]; tx?: number } | { id: number; error: ThreadError };

/** What the thread is started with; it replies `{ id: 0 }` once the database is open. */
export interface PgliteThreadData {
  dataDir: string | undefined;
  /** PostgreSQL's shared_buffers, given as `-c` (the folder's postgresql.conf is left alone). */
  sharedBuffersMb: number;
  /** PGlite's WebAssembly, compiled once per process (every thread would otherwise compile it again). */
  modules: { pglite: WebAssembly.Module; initdb: WebAssembly.Module };
}

export function toThreadError(err: unknown): ThreadError {
  // PGlite's file system errors are not Errors and carry only an errno (Emscripten's numbering).
  const errno = (err as { errno?: unknown } | null)?.errno;
  if (!(err instanceof Error)) return { message: typeof errno === 'number' ? `file system error (errno ${errno})` : String(err), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(err)) if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) fields[k] = v;
  return { message: err.message, name: err.name, fields };
}

/** Rolls a transaction back: what `end` without commit makes its callback throw. */
const ROLLBACK = Symbol('rollback');

async function serve(port: NonNullable<typeof parentPort>, data: PgliteThreadData): Promise<void> {
  const db = new PGlite(data.dataDir, {
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${data.sharedBuffersMb}MB`],
    pgliteWasmModule: data.modules.pglite,
    initdbWasmModule: data.modules.initdb,
  });
  try {
    await db.waitReady;
  } catch (err) {
    port.postMessage({ id: 0, error: toThreadError(err) } satisfies PgliteThreadReply);
    return;
  }
  // Given per query: PGlite 0.5 does not apply the constructor's `parsers` option.
  const parsers = { [types.TIMESTAMPTZ]: (v: string) => new Date(v).toISOString(), [types.INT8]: (v: string) => Number(v) };
  const open = new Map<number, { t: Transaction; end: (commit: boolean) => void; done: Promise<void> }>();
  let nextTx = 1;
  const on = (tx: number | undefined) => {
    if (tx === undefined) return db;
    const t = open.get(tx)?.t;
    if (!t) throw new Error(`transaction ${tx} is not open`);
    return t;
  };
  const handle = async (m: PgliteThreadRequest): Promise<Omit<PgliteThreadReply, 'id'>> => {
    switch (m.op) {
      case 'query':
        return { rows: (await on(m.tx).query(m.sql, m.params, { parsers })).rows };
      case 'exec':
        await on(m.tx).exec(m.sql);
        return {};
      case 'begin': {
        const tx = nextTx++;
        return new Promise((begun, failed) => {
          const done = db
            .transaction((t) => new Promise<void>((resolve, reject) => {
              open.set(tx, { t, end: (commit) => (commit ? resolve() : reject(ROLLBACK)), done });
              begun({ tx });
            }))
            .catch((err: unknown) => {
              if (err !== ROLLBACK) throw err;
            })
            .finally(() => open.delete(tx));
          done.catch(failed);
        });
      }
      case 'end': {
        const entry = open.get(m.tx);
        if (!entry) throw new Error(`transaction ${m.tx} is not open`);
        entry.end(m.commit);
        await entry.done;
        return {};
      }
      case 'close':
        await db.close();
        return {};
    }
  };
  port.on('message', (m: PgliteThreadRequest) => {
    handle(m).then(
      (reply) => port.postMessage({ id: m.id, ...reply }),
      (err: unknown) => port.postMessage({ id: m.id, error: toThreadError(err) } satisfies PgliteThreadReply),
    );
  });
  port.postMessage({ id: 0 } satisfies PgliteThreadReply);
}

if (parentPort) await serve(parentPort, workerData as PgliteThreadData);
