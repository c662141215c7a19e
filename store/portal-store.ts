import type { Status } from '../core/model/status.js';
import { isPortalStep } from '../core/model/portal-step.js';
import type { NewTimelineEntry, PortalClaim, PortalCounts, PortalRepository, PortalView } from '../core/ports/index.js';
import type { Db, Queryable } from './db.js';
import { insertStep } from './sql.js';

/** What DossierStore calls, inside the transaction of every timeline entry, when portal sync is on. */
export interface PortalRecorder {
  /** SQL (over `dossiers`) of the dossier's PortalView, null when it has no portal row. */
  readonly viewColumn: string;
  record(q: Queryable, code: string, seq: number, entry: NewTimelineEntry): Promise<void>;
  /**
   * The step of DossierStore.accept's statement that writes the outbox row of
   * each dossier `from` created (its first entry, seq 1, is always for the
   * portal). `recorded()` after the statement, as `record` does after its own.
   */
  firstEntryStep(name: string, from: string): string;
  /** The same for a later entry meant for the portal: `from` has the dossier's `code` and the entry's `seq`. */
  entryStep(name: string, from: string): string;
  recorded(): void;
}

/** A new entry for the portal: wanted up to it. A rejected dossier stays rejected (and unsent) until an operator resends it. */
const ON_NEW_ENTRY = `on conflict (dossier_code) do update set wanted_seq = excluded.wanted_seq, updated_at = now(),
  state = case when portal_sync.state = 'rejected' then 'rejected' else 'pending' end,
  next_at = case when portal_sync.state = 'synced' then now() else portal_sync.next_at end`;

const CLAIM_COLUMNS = `dossier_code as code, known, acked_seq as "ackedSeq", resync, attempts, claims`;

/**
 * `portal_sync` (migration 002): one outbox row per dossier, written with the
 * change; claimed by workers with a lease; `acked_seq` moves forward as the
 * portal accepts. Every method but `record`, `reject` and `resend` is one
 * statement, so it is safe on PGlite's single connection and with many workers.
 */
export class PortalStore implements PortalRecorder, PortalRepository {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly db: Db) {}

  readonly viewColumn = `(select json_build_object('state', p.state, 'syncedAt', p.synced_at, 'message', p.message)
    from portal_sync p where p.dossier_code = dossiers.code)`;

  /** Called after `record`, before the transaction commits: a hint to look soon, not a promise that the row is visible. */
  onRecorded(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async record(q: Queryable, code: string, seq: number, entry: NewTimelineEntry): Promise<void> {
    const [previous] = seq > 1 ? await q.query<{ status: Status }>('select status from dossier_events where dossier_code = $1 and seq = $2', [code, seq - 1]) : [];
    if (!isPortalStep({ seq, type: entry.type, status: entry.status }, previous?.status)) return;
    await q.query(`insert into portal_sync (dossier_code, state, wanted_seq) values ($1, 'pending', $2) ${ON_NEW_ENTRY}`, [code, seq]);
    this.recorded();
  }

  entryStep(name: string, from: string): string {
    return insertStep(name, 'portal_sync', { dossier_code: `${from}.code`, state: `'pending'`, wanted_seq: `${from}.seq` }, { from, onConflict: ON_NEW_ENTRY.replace(/^on conflict /, '') });
  }

  firstEntryStep(name: string, from: string): string {
    return insertStep(name, 'portal_sync', { dossier_code: `${from}.code`, state: `'pending'`, wanted_seq: '1' }, { from });
  }

  recorded(): void {
    for (const listener of this.listeners) listener();
  }

  /**
   * Claim up to `limit` due dossiers for `leaseMs` under `token`. Rows being
   * claimed or written elsewhere are skipped (`skip locked`), and a leased
   * dossier is not claimed again until its lease ends: one pusher per dossier.
   */
  async claim(token: string, limit: number, leaseMs: number): Promise<PortalClaim[]> {
    return this.db.query<PortalClaim>(
      `update portal_sync set lease_token = $1, lease_until = now() + $2::int * interval '1 millisecond', claims = claims + 1
        where dossier_code in (
          select dossier_code from portal_sync
           where state = 'pending' and next_at <= now() and (lease_until is null or lease_until < now())
           order by next_at limit $3 for update skip locked)
        returning ${CLAIM_COLUMNS}`,
      [token, leaseMs, limit],
    );
  }

  /** Claim one dossier now, whatever its backoff (reconciliation); undefined when another pusher holds it. */
  async claimOne(code: string, token: string, leaseMs: number): Promise<PortalClaim | undefined> {
    const [row] = await this.db.query<PortalClaim>(
      `update portal_sync set lease_token = $2, lease_until = now() + $3::int * interval '1 millisecond', claims = claims + 1
        where dossier_code = $1 and state = 'pending' and (lease_until is null or lease_until < now())
        returning ${CLAIM_COLUMNS}`,
      [code, token, leaseMs],
    );
    return row;
  }

  /** The portal accepted a call: record it and extend the lease. False when the lease was lost (stop pushing). */
  async ack(code: string, token: string, progress: { known?: boolean; ackedSeq?: number }, leaseMs: number): Promise<boolean> {
    const rows = await this.db.query(
      `update portal_sync set known = known or $3, acked_seq = greatest(acked_seq, $4), updated_at = now(),
         lease_until = now() + $5::int * interval '1 millisecond'
       where dossier_code = $1 and lease_token = $2 returning 1`,
      [code, token, progress.known ?? false, progress.ackedSeq ?? 0, leaseMs],
    );
    return rows.length > 0;
  }

  /**
   * The push is done up to timeline entry `upTo`: synced, unless an entry came
   * after it (or a resync was asked for meanwhile), then still pending.
   */
  async finish(code: string, token: string, upTo: number, pushedResync: boolean): Promise<boolean> {
    const rows = await this.db.query(
      `update portal_sync set acked_seq = greatest(acked_seq, $3), resync = resync and not $4,
         state = case when (resync and not $4) or wanted_seq > greatest(acked_seq, $3) then 'pending' else 'synced' end,
         synced_at = now(), message = null, attempts = 0, next_at = now(), lease_token = null, lease_until = null, updated_at = now()
       where dossier_code = $1 and lease_token = $2 returning 1`,
      [code, token, upTo, pushedResync],
    );
    return rows.length > 0;
  }

  /** A transient failure: try this dossier again after `delayMs`, showing `message` meanwhile. */
  async retryLater(code: string, token: string, delayMs: number, message: string): Promise<void> {
    await this.db.query(
      `update portal_sync set attempts = attempts + 1, next_at = now() + $3::int * interval '1 millisecond', message = $4,
         lease_token = null, lease_until = null, updated_at = now()
       where dossier_code = $1 and lease_token = $2`,
      [code, token, delayMs, message],
    );
  }

  /** The portal (or translation) refused the dossier: kept with `message` until resent. In the caller's transaction. */
  async reject(q: Queryable, code: string, token: string, message: string): Promise<boolean> {
    const rows = await q.query(
      `update portal_sync set state = 'rejected', message = $3, lease_token = null, lease_until = null, updated_at = now()
       where dossier_code = $1 and lease_token = $2 returning 1`,
      [code, token, message],
    );
    return rows.length > 0;
  }

  /** Back to pending after a fix, pushing the whole dossier again. False unless it was rejected. */
  async resend(q: Queryable, code: string): Promise<boolean> {
    const rows = await q.query(
      `update portal_sync set state = 'pending', resync = true, message = null, attempts = 0, next_at = now(), updated_at = now()
       where dossier_code = $1 and state = 'rejected' returning 1`,
      [code],
    );
    return rows.length > 0;
  }

  /**
   * Reconciliation: every dossier changed since `since` is pushed again as a
   * whole (an update when the portal knows it) plus the steps it has not
   * acknowledged; dossiers older than sync get their row. Returns their codes.
   */
  /** Mark for a full push every dossier changed since `since`, with its audit entry `portal.resync` (same statement). */
  async markResync(since: string, actor: Record<string, unknown> = { role: 'system', name: 'lienthong' }): Promise<string[]> {
    const rows = await this.db.query<{ code: string }>(
      `with m as (insert into portal_sync (dossier_code, state, wanted_seq, resync)
       select code, 'pending', event_seq, true from dossiers where updated_at >= $1
       on conflict (dossier_code) do update set state = 'pending', resync = true, message = null, attempts = 0,
         next_at = now(), updated_at = now()
       returning dossier_code),
       a as (insert into audit_log (actor, action, subject, detail)
         select $2::jsonb, 'portal.resync', 'portal', jsonb_build_object('since', $1::text, 'marked', count(*)) from m)
       select dossier_code as code from m`,
      [since, JSON.stringify(actor)],
    );
    return rows.map((r) => r.code);
  }

  async view(code: string): Promise<PortalView | undefined> {
    const [row] = await this.db.query<PortalView>(`select state, synced_at as "syncedAt", message from portal_sync where dossier_code = $1`, [code]);
    return row;
  }

  /** How many dossiers are in each state, and since when the oldest pending one waits. */
  async counts(): Promise<PortalCounts> {
    const [row] = await this.db.query<PortalCounts>(
      `select count(*) filter (where state = 'pending')::int as pending, count(*) filter (where state = 'synced')::int as synced,
              count(*) filter (where state = 'rejected')::int as rejected,
              min(updated_at) filter (where state = 'pending') as "oldestPendingAt"
         from portal_sync`,
    );
    return row ?? { pending: 0, synced: 0, rejected: 0, oldestPendingAt: null };
  }
}

export { isPortalStep, type PortalClaim, type PortalView };
