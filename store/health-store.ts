import type { PauseRepository } from '../core/ports/index.js';
import type { ChangedBy } from '../core/audit/entry.js';
import { writeAudit } from './audit-store.js';
import type { Db, Queryable } from './db.js';

/** Departments paused by hand (`department_health`): the stored truth, surviving restarts and a Redis wipe. */
export class HealthStore implements PauseRepository {
  constructor(private readonly db: Db) {}

  /** Pause or resume, with its audit entry (`department.paused` / `department.resumed`), in one transaction. */
  async setPaused(id: string, paused: boolean, by: ChangedBy): Promise<void> {
    await this.db.tx(async (q) => {
      await q.query(
        `insert into department_health (department_id, paused, changed_at, changed_by) values ($1, $2, now(), $3)
         on conflict (department_id) do update set paused = excluded.paused, changed_at = now(), changed_by = excluded.changed_by`,
        [id, paused, by.label],
      );
      await writeAudit(q, { actor: by.actor, action: paused ? 'department.paused' : 'department.resumed', subject: `department:${id}` });
    });
  }

  async isPaused(id: string, q: Queryable = this.db): Promise<boolean> {
    const [row] = await q.query<{ paused: boolean }>('select paused from department_health where department_id = $1', [id]);
    return row?.paused ?? false;
  }

  /** Every department's stored pause flag (those never paused are absent). */
  async all(): Promise<Map<string, boolean>> {
    const rows = await this.db.query<{ id: string; paused: boolean }>('select department_id as id, paused from department_health');
    return new Map(rows.map((r) => [r.id, r.paused]));
  }
}
