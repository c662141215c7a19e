import type { AuditFilter, AuditLog, AuditRow } from '../core/ports/index.js';
import { entryHash, GENESIS_HASH } from '../core/audit/chain.js';
import type { AuditEntry } from '../core/audit/entry.js';
import type { Db, Queryable } from './db.js';

const COLUMNS = 'seq, at, actor, action, subject, detail, hash';
/** Serialises sealers across processes (pg_try_advisory_xact_lock). */
const SEAL_LOCK_ID = 7_310_420_262;
/** Entries sealed per transaction, unless `seal` is told otherwise. */
export const SEAL_BATCH = 1000;

/**
 * SQL that appends one audit row, for a CTE in a statement that makes the
 * change (so that recording it costs no extra round trip). `$actor`, `$detail`
 * are jsonb parameters; `from` names a CTE whose rows each produce one entry.
 */
export function auditInsertSql(p: { actor: string; action: string; subject: string; detail: string; from?: string }): string {
  return `insert into audit_log (actor, action, subject, detail)
    select ${p.actor}::jsonb, ${p.action}, ${p.subject}, ${p.detail}::jsonb${p.from ? ` from ${p.from}` : ''}`;
}

/** Append one audit entry inside the transaction `q` of the change it records. */
export async function writeAudit(q: Queryable, entry: AuditEntry): Promise<void> {
  await q.query(`insert into audit_log (actor, action, subject, detail) values ($1, $2, $3, $4)`, [
    JSON.stringify(entry.actor),
    entry.action,
    entry.subject,
    JSON.stringify(entry.detail ?? {}),
  ]);
}

/**
 * The audit log (nhật ký kiểm toán): appended in the transaction of each
 * change, sealed into a hash chain in the background (`seal`).
 */
export class AuditStore implements AuditLog {
  constructor(private readonly db: Db) {}

  /**
   * Record a change, inside the transaction `q` that makes it (one line for
   * any use-case: `await ctx.audit.write(q, {actor, action, subject, detail})`).
   */
  write(q: Queryable, entry: AuditEntry): Promise<void> {
    return writeAudit(q, entry);
  }

  /** Newest first. */
  async list(filter: AuditFilter): Promise<AuditRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.subject) add('subject = ?', filter.subject);
    if (filter.action) add('action = ?', filter.action);
    if (filter.since) add('at >= ?::timestamptz', filter.since);
    if (filter.cursor !== undefined) add('seq < ?', filter.cursor);
    params.push(filter.limit);
    return this.db.query<AuditRow>(
      `select ${COLUMNS} from audit_log ${where.length ? `where ${where.join(' and ')}` : ''} order by seq desc limit $${params.length}`,
      params,
    );
  }

  /** The last sealed entry and how many entries wait to be sealed. */
  async head(q: Queryable = this.db): Promise<{ seq: number; hash: string; unsealed: number }> {
    // Unsealed entries are after the head (a late one below it is verify's business): a primary-key range.
    const [row] = await q.query<{ seq: number | null; hash: string | null; unsealed: number }>(
      `select h.seq, h.hash, (select count(*)::int from audit_log where seq > coalesce(h.seq, 0) and hash is null) as unsealed
         from (select 1) one left join lateral (select seq, hash from audit_log where hash is not null order by seq desc limit 1) h on true`,
    );
    return { seq: row?.seq ?? 0, hash: row?.hash ?? GENESIS_HASH, unsealed: row?.unsealed ?? 0 };
  }

  /**
   * Seal the next unsealed entries, in `seq` order, up to `batch` of them.
   * Only one sealer works at a time across processes (an advisory lock; the
   * others return 0 at once). A `seq` missing before an unsealed entry may
   * belong to a transaction still running: sealing waits for it, and skips it
   * (a rolled-back transaction) once the entry after it is `gapGraceMs` old.
   * Returns how many were sealed.
   */
  async seal(options: { batch?: number; gapGraceMs?: number } = {}): Promise<number> {
    const batch = options.batch ?? SEAL_BATCH;
    const grace = options.gapGraceMs ?? 30_000;
    return this.db.tx(async (q) => {
      const [lock] = await q.query<{ ok: boolean }>('select pg_try_advisory_xact_lock($1) as ok', [SEAL_LOCK_ID]);
      if (!lock?.ok) return 0;
      // The chain's end only: counting what is unsealed (as `head` does) would scan it at every batch.
      const [sealed] = await q.query<{ seq: number; hash: string }>(`select seq, hash from audit_log where hash is not null order by seq desc limit 1`);
      const head = { seq: sealed ? Number(sealed.seq) : 0, hash: sealed?.hash ?? GENESIS_HASH };
      const rows = await q.query<AuditRow & { old: boolean }>(
        `select ${COLUMNS}, at < clock_timestamp() - ($3::int * interval '1 millisecond') as old
           from audit_log where hash is null and seq > $1 order by seq limit $2`,
        [head.seq, batch, grace],
      );
      let previous = head.hash;
      let expected = head.seq + 1;
      const seqs: number[] = [];
      const hashes: string[] = [];
      for (const row of rows) {
        // A gap: an entry of a transaction not committed yet (wait), or rolled back (skip once old).
        if (row.seq !== expected && !row.old) break;
        previous = entryHash(previous, row);
        seqs.push(row.seq);
        hashes.push(previous);
        expected = row.seq + 1;
      }
      if (seqs.length) {
        await q.query(
          `update audit_log a set hash = v.hash from unnest($1::bigint[], $2::text[]) as v(seq, hash) where a.seq = v.seq`,
          [seqs, hashes],
        );
      }
      return seqs.length;
    });
  }

  /** Every entry in `seq` order, page by page (for verify). */
  async *all(pageSize = 5000): AsyncGenerator<AuditRow> {
    let after = 0;
    for (;;) {
      const rows = await this.db.query<AuditRow>(`select ${COLUMNS} from audit_log where seq > $1 order by seq limit $2`, [after, pageSize]);
      for (const row of rows) yield row;
      if (rows.length < pageSize) return;
      after = rows.at(-1)!.seq;
    }
  }
}
