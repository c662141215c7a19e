import type { OpenDeadlineState } from '../calendar/deadline-state.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import { deadlineFilter, deadlineView, type DeadlineView } from '../deadlines/deadline-view.js';
import type { Principal } from '../model/principal.js';
import type { Status } from '../model/status.js';
import type { ConsoleReadModel, DailyCount, DossierListRow, FailedDeliveryRow } from './ports.js';

/** A row of the console's dossier list with its deadline judged now (the `deadline` object of the API's list items). */
export type DossierListItem = DossierListRow & { deadline: DeadlineView };

const DAY_MS = 86_400_000;
const VN_OFFSET_MS = 7 * 3_600_000;

/** The last `days` calendar dates in UTC+7, oldest first, ending today. */
export function lastDays(now: Date, days: number): string[] {
  const today = Math.floor((now.getTime() + VN_OFFSET_MS) / DAY_MS);
  return Array.from({ length: days }, (_, i) => new Date((today - days + 1 + i) * DAY_MS).toISOString().slice(0, 10));
}

/** Counts for every day of `days`, zero where the store had none. */
function fill(days: string[], counts: DailyCount[]): DailyCount[] {
  const by = new Map(counts.map((c) => [c.day, c.count]));
  return days.map((day) => ({ day, count: by.get(day) ?? 0 }));
}

export interface Overview {
  openDossiers: number;
  failedDeliveries: number;
  days: Array<{ day: string; received: number; resolved: number }>;
  queued: Array<{ departmentId: string; name: string; count: number }>;
}

/**
 * What the console reads, scoped to the principal: a department key sees
 * only its own department (its `department` filter is forced, whatever it asked).
 */
export class ConsoleQueries {
  constructor(
    private readonly read: ConsoleReadModel,
    /** The working calendar the deadline states are judged with (the same cached one as the API's). */
    private readonly calendar: () => Promise<WorkingCalendar>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private scope(by: Principal): string | undefined {
    return by.role === 'department' ? by.departmentId ?? '\u0000none' : undefined;
  }

  /** Tổng quan: open dossiers, failed deliveries, received/resolved per day over 30 days, queued per department. */
  async overview(by: Principal): Promise<Overview> {
    const department = this.scope(by);
    const days = lastDays(this.now(), 30);
    const since = new Date(Date.parse(`${days[0]}T00:00:00+07:00`)).toISOString();
    const [openDossiers, failedDeliveries, received, resolved, queued, names] = await Promise.all([
      this.read.openDossiers(department),
      this.read.failedDeliveries(department),
      this.read.receivedPerDay(since, department),
      this.read.resolvedPerDay(since, department),
      this.read.queuedPerDepartment(department),
      this.read.departmentNames(),
    ]);
    const r = fill(days, received);
    const s = fill(days, resolved);
    const name = new Map(names.map((n) => [n.id, n.name]));
    return {
      openDossiers,
      failedDeliveries,
      days: days.map((day, i) => ({ day, received: r[i]!.count, resolved: s[i]!.count })),
      queued: queued.map((q) => ({ ...q, name: name.get(q.departmentId) ?? q.departmentId })),
    };
  }

  /**
   * One page of the dossier list; `nextCursor` when there is more. `deadline`
   * narrows to open dossiers in that state, with the bounds of
   * `GET /v1/dossiers?deadline=` (core's `deadlineFilter` on the same calendar).
   */
  async dossiers(
    filter: { q?: string; status?: Status; department?: string; deadline?: OpenDeadlineState; cursor?: number; limit: number },
    by: Principal,
  ): Promise<{ items: DossierListItem[]; nextCursor: number | null }> {
    const department = this.scope(by) ?? filter.department;
    const calendar = await this.calendar();
    const nowMs = this.now().getTime();
    const { deadline, ...rest } = filter;
    const rows = await this.read.listDossiers({
      ...rest,
      ...(department ? { department } : {}),
      ...(deadline ? { deadline: deadlineFilter(deadline, calendar, nowMs) } : {}),
      limit: filter.limit + 1,
    });
    const items = rows.slice(0, filter.limit).map((row) => ({ ...row, deadline: deadlineView(row, calendar, nowMs) }));
    return { items, nextCursor: rows.length > filter.limit ? items.at(-1)!.id : null };
  }

  /** Tổng quan: open dossiers overdue (quá hạn) and due soon (sắp đến hạn), counted as the `deadline=` filter counts them. */
  async deadlineCounts(by: Principal): Promise<{ overdue: number; dueSoon: number }> {
    const department = this.scope(by);
    const calendar = await this.calendar();
    const nowMs = this.now().getTime();
    const [overdue, dueSoon] = await Promise.all([
      this.read.countByDeadline(deadlineFilter('overdue', calendar, nowMs), department),
      this.read.countByDeadline(deadlineFilter('due_soon', calendar, nowMs), department),
    ]);
    return { overdue, dueSoon };
  }

  /** One page of failed deliveries; the cursor is `<updatedAt>_<id>` of the last row. */
  async failedDeliveries(filter: { department?: string; cursor?: string; limit: number }, by: Principal): Promise<{ items: FailedDeliveryRow[]; nextCursor: string | null }> {
    const department = this.scope(by) ?? filter.department;
    const cursor = parseCursor(filter.cursor);
    const rows = await this.read.listFailedDeliveries({ ...(department ? { department } : {}), ...(cursor ? { cursor } : {}), limit: filter.limit + 1 });
    const items = rows.slice(0, filter.limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > filter.limit && last ? `${last.updatedAt}_${last.id}` : null };
  }

  portalRejections(by: Principal, limit = 100) {
    const department = this.scope(by);
    return this.read.listPortalRejections({ ...(department ? { department } : {}), limit });
  }

  /** Departments for labels and filters: a department key gets only its own. */
  async departments(by: Principal) {
    const all = await this.read.departmentNames();
    const own = this.scope(by);
    return own ? all.filter((d) => d.id === own) : all;
  }

  /** Cảnh báo đang mở, scoped as the alert list is (a department key: its own department's). */
  openAlerts(by: Principal): Promise<number> {
    return this.read.openAlerts(this.scope(by));
  }

  async queued(by: Principal) {
    return this.read.queuedPerDepartment(this.scope(by));
  }
}

function parseCursor(cursor: string | undefined): { updatedAt: string; id: number } | undefined {
  const m = cursor ? /^(.+)_(\d+)$/.exec(cursor) : null;
  if (!m || Number.isNaN(Date.parse(m[1]!))) return undefined;
  return { updatedAt: m[1]!, id: Number(m[2]) };
}
