import type {
  ConsoleReadModel,
  DailyCount,
  DossierListFilter,
  DossierListRow,
  FailedDeliveryRow,
  PortalRejectionRow,
} from '../core/console/ports.js';
import type { DeadlineFilter } from '../core/model/deadline.js';
import type { Db } from './db.js';

/** Open statuses: all but resolved, returned, withdrawn and not accepted (a list, so the status index serves it). */
const OPEN = `('registered', 'received', 'processing', 'supplement_requested', 'payment_requested', 'suspended')`;
/** Open and running, as `GET /v1/dossiers?deadline=` reads it (store/dossier-store.ts): what a deadline state narrows down. */
const RUNNING = `due_at is not null and done_at is null and closed_at is null and status not in ('resolved', 'returned', 'withdrawn', 'not_accepted')`;

/**
 * The SQL of one deadline state (core/model/deadline.ts): overdue ⇔ due_at <
 * todayStart; due_soon ⇔ todayStart ≤ due_at < soonEnd; on_time ⇔ due_at ≥
 * soonEnd; paused ⇔ paused_since set. `add` binds a value for each `?`.
 */
function deadlineWhere(d: DeadlineFilter, add: (sql: string, ...values: unknown[]) => void): void {
  if (d.state === 'paused') add(`${RUNNING} and paused_since is not null`);
  if (d.state === 'overdue') add(`${RUNNING} and paused_since is null and due_at < ?`, d.todayStart);
  if (d.state === 'due_soon') add(`${RUNNING} and paused_since is null and due_at >= ? and due_at < ?`, d.todayStart, d.soonEnd);
  if (d.state === 'on_time') add(`${RUNNING} and paused_since is null and due_at >= ?`, d.soonEnd);
}

/** A where clause built from pieces, each `?` numbered in order. */
function whereBuilder() {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    let i = 0;
    where.push(sql.replace(/\?/g, () => {
      params.push(values[i++]);
      return `$${params.length}`;
    }));
  };
  return { where, params, add, sql: () => (where.length ? `where ${where.join(' and ')}` : '') };
}

/** The calendar date in UTC+7 (Việt Nam has no daylight saving time). */
const day = (column: string) => `to_char((${column} at time zone 'UTC') + interval '7 hours', 'YYYY-MM-DD')`;

/** SQL for the console's pages (indexes in migration 007). */
export class ConsoleReadStore implements ConsoleReadModel {
  constructor(private readonly db: Db) {}

  async openDossiers(department?: string): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      `select count(*)::int as n from dossiers where status in ${OPEN} and ($1::text is null or department_id = $1)`,
      [department ?? null],
    );
    return row?.n ?? 0;
  }

  async failedDeliveries(department?: string): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      `select count(*)::int as n from deliveries where state = 'failed' and ($1::text is null or department_id = $1)`,
      [department ?? null],
    );
    return row?.n ?? 0;
  }

  async receivedPerDay(since: string, department?: string): Promise<DailyCount[]> {
    return this.db.query<DailyCount>(
      `select ${day('created_at')} as day, count(*)::int as count from dossiers
        where created_at >= $1 and ($2::text is null or department_id = $2) group by 1 order by 1`,
      [since, department ?? null],
    );
  }

  /** A dossier becomes resolved once at most (resolved → returned is its only move), so entries are counted. */
  async resolvedPerDay(since: string, department?: string): Promise<DailyCount[]> {
    return this.db.query<DailyCount>(
      `select ${day('e.at')} as day, count(*)::int as count from dossier_events e
        where e.type = 'status_changed' and e.status = 'resolved' and e.at >= $1
          and ($2::text is null or exists (select 1 from dossiers d where d.code = e.dossier_code and d.department_id = $2))
        group by 1 order by 1`,
      [since, department ?? null],
    );
  }

  async queuedPerDepartment(department?: string): Promise<Array<{ departmentId: string; count: number }>> {
    return this.db.query(
      `select department_id as "departmentId", count(*)::int as count from deliveries
        where state in ('pending', 'delivering') and ($1::text is null or department_id = $1)
        group by 1 order by 1`,
      [department ?? null],
    );
  }

  async countByDeadline(filter: DeadlineFilter, department?: string): Promise<number> {
    const w = whereBuilder();
    deadlineWhere(filter, w.add);
    if (department) w.add('department_id = ?', department);
    const [row] = await this.db.query<{ n: number }>(`select count(*)::int as n from dossiers ${w.sql()}`, w.params);
    return row?.n ?? 0;
  }

  async listDossiers(f: DossierListFilter): Promise<DossierListRow[]> {
    const { where, params, add } = whereBuilder();
    if (f.deadline) deadlineWhere(f.deadline, add);
    if (f.status) add('status = ?', f.status);
    if (f.department) add('department_id = ?', f.department);
    if (f.cursor !== undefined) add('id < ?', f.cursor);
    if (f.q) {
      const q = f.q.trim();
      // A whole code is looked up by its key; a part of one scans codes (short text, no document read).
      if (/^[\d.A-Z]+-\d{6}-\d{4}$/i.test(q)) add('code = ?', q.toUpperCase());
      else add(`(code like '%' || upper(?) || '%' or reference = ?)`, q, q);
    }
    params.push(f.limit);
    return this.db.query<DossierListRow>(
      `select id, code, procedure_code as "procedureCode", content->'procedure'->>'name' as "procedureName",
              content->'applicant'->>'name' as "applicantName", department_id as "departmentId", status,
              (select state from deliveries d where d.dossier_code = dossiers.code order by d.id desc limit 1) as "deliveryState",
              created_at as "createdAt", updated_at as "updatedAt",
              received_at as "receivedAt", due_at as "dueAt", deadline_source as source, paused_since as "pausedSince",
              extended_to as "extendedTo", done_at as "doneAt", closed_at as "closedAt"
         from dossiers ${where.length ? `where ${where.join(' and ')}` : ''}
        order by id desc limit $${params.length}`,
      params,
    );
  }

  async listFailedDeliveries(f: { department?: string; cursor?: { updatedAt: string; id: number }; limit: number }): Promise<FailedDeliveryRow[]> {
    return this.db.query<FailedDeliveryRow>(
      `select id, dossier_code as "dossierCode", department_id as "departmentId", operation, attempts,
              last_error as "lastError", updated_at as "updatedAt"
         from deliveries
        where state = 'failed' and ($1::text is null or department_id = $1)
          and ($2::timestamptz is null or (updated_at, id) < ($2::timestamptz, $3::int))
        order by updated_at desc, id desc limit $4`,
      [f.department ?? null, f.cursor?.updatedAt ?? null, f.cursor?.id ?? 0, f.limit],
    );
  }

  async listPortalRejections(f: { department?: string; limit: number }): Promise<PortalRejectionRow[]> {
    return this.db.query<PortalRejectionRow>(
      `select p.dossier_code as "dossierCode", d.department_id as "departmentId", p.message, p.updated_at as "updatedAt"
         from portal_sync p join dossiers d on d.code = p.dossier_code
        where p.state = 'rejected' and ($1::text is null or d.department_id = $1)
        order by p.updated_at desc limit $2`,
      [f.department ?? null, f.limit],
    );
  }

  async openAlerts(department?: string): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      `select count(*)::int as n from alerts where state = 'open' and ($1::text is null or department = $1)`,
      [department ?? null],
    );
    return row?.n ?? 0;
  }

  async departmentNames(): Promise<Array<{ id: string; name: string; enabled: boolean }>> {
    return this.db.query(`select id, config->>'name' as name, enabled from departments order by id`);
  }
}
