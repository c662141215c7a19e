import type { Db } from './db.js';

/** Open alerts per kind come from the follow-up branch's `alerts` table; until it exists, none. */
const ALERT_KINDS = ['overdue', 'due_soon', 'delivery_stuck', 'delivery_failed', 'department_down', 'portal_rejected'] as const;

/**
 * What the store-read gauges need, one query each (read at scrape time, at
 * most every 15 s: see runtime/metrics.ts).
 */
export class MetricsStore {
  constructor(private readonly db: Db) {}

  /** Dossiers of the national portal outbox still to push. */
  async portalPending(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      `select case when to_regclass('portal_sync') is null then 0 else (select count(*)::int from portal_sync where state = 'pending') end as n`,
    );
    return row?.n ?? 0;
  }

  /**
   * Open dossiers (not resolved, returned, withdrawn, not accepted) with a due
   * date, per department and deadline state (Asia/Ho_Chi_Minh dates): `paused`
   * while the clock is stopped, `overdue` once the due date has passed,
   * `due_soon` when it is due today or by `soonUntil` (the next working day of
   * the working calendar, days off included: core/calendar/deadline-state.ts's
   * `stateBounds`), `on_time` otherwise. `today` and `soonUntil` are local
   * dates `YYYY-MM-DD`.
   */
  async openDossiers(bounds: { today: string; soonUntil: string }): Promise<Array<{ department: string; deadline: string; n: number }>> {
    return this.db.query(
      `with open as (
         select department_id, status, paused_since,
           (coalesce(due_at, (content->>'dueAt')::timestamptz) at time zone 'Asia/Ho_Chi_Minh')::date as due
         from dossiers
         where status not in ('resolved', 'returned', 'withdrawn', 'not_accepted')
           and (due_at is not null or content ? 'dueAt'))
       select department_id as department,
         case when paused_since is not null or status in ('supplement_requested', 'payment_requested', 'suspended') then 'paused'
              when due < $1::date then 'overdue'
              when due <= $2::date then 'due_soon'
              else 'on_time' end as deadline,
         count(*)::int as n
       from open group by 1, 2`,
      [bounds.today, bounds.soonUntil],
    );
  }

  /** Open alerts per kind (every kind present, 0 when none). */
  async openAlerts(): Promise<Record<string, number>> {
    const out: Record<string, number> = Object.fromEntries(ALERT_KINDS.map((k) => [k, 0]));
    const [exists] = await this.db.query<{ t: string | null }>(`select to_regclass('alerts')::text as t`);
    if (!exists?.t) return out;
    const rows = await this.db.query<{ kind: string; n: number }>(`select kind, count(*)::int as n from alerts where state = 'open' group by kind`);
    for (const r of rows) out[r.kind] = r.n;
    return out;
  }
}
