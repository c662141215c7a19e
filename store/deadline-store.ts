import type { CalendarOverride } from '../core/calendar/working-calendar.js';
import type { DeadlineRepository } from '../core/ports/deadline-repository.js';
import type { Procedure, ProcedureEntry } from '../core/model/procedure.js';
import type { ChangedBy } from '../core/audit/entry.js';
import { writeAudit } from './audit-store.js';
import type { Db, Queryable } from './db.js';

interface ProcedureRow {
  code: string;
  body: ProcedureEntry;
  updatedAt: string;
}

const toProcedure = (r: ProcedureRow): Procedure => ({ code: r.code, ...r.body, updatedAt: r.updatedAt });
const PROCEDURE_COLUMNS = `code, body, updated_at as "updatedAt"`;
const bump = (q: Queryable) => q.query('update deadline_config set version = version + 1 where id = 1');

/** The procedure catalog and the yearly calendar overrides (migration 004). */
export class DeadlineStore implements DeadlineRepository {
  constructor(private readonly db: Db) {}

  async version(): Promise<number> {
    const [row] = await this.db.query<{ version: number }>('select version from deadline_config where id = 1');
    return Number(row?.version ?? 0);
  }

  async snapshot() {
    // One read-only transaction: the version and what it stands for agree.
    return this.db.tx(async (q) => {
      if (this.db.kind === 'postgres') await q.query('set transaction isolation level repeatable read, read only');
      const [v] = await q.query<{ version: number }>('select version from deadline_config where id = 1');
      const procedures = (await q.query<ProcedureRow>(`select ${PROCEDURE_COLUMNS} from procedures`)).map(toProcedure);
      const rows = await q.query<{ year: number; daysOff: string[]; workingDays: string[] }>(
        `select year, days_off as "daysOff", working_days as "workingDays" from calendar_overrides`,
      );
      const overrides = new Map<number, CalendarOverride>(rows.map((r) => [r.year, { daysOff: r.daysOff, workingDays: r.workingDays }]));
      return { version: Number(v?.version ?? 0), procedures, overrides };
    });
  }

  async getProcedure(code: string): Promise<Procedure | undefined> {
    const [row] = await this.db.query<ProcedureRow>(`select ${PROCEDURE_COLUMNS} from procedures where code = $1`, [code]);
    return row && toProcedure(row);
  }

  async listProcedures(): Promise<Procedure[]> {
    return (await this.db.query<ProcedureRow>(`select ${PROCEDURE_COLUMNS} from procedures order by code`)).map(toProcedure);
  }

  private async upsert(q: Queryable, code: string, entry: ProcedureEntry, by: ChangedBy) {
    const [row] = await q.query<ProcedureRow & { created: boolean }>(
      `insert into procedures (code, body, updated_by) values ($1, $2, $3)
       on conflict (code) do update set body = excluded.body, updated_by = excluded.updated_by, updated_at = now()
       returning ${PROCEDURE_COLUMNS}, (xmax = 0) as created`,
      [code, JSON.stringify(entry), by.label],
    );
    if (!row) throw new Error('procedure upsert returned nothing');
    await writeAudit(q, { actor: by.actor, action: 'procedure.saved', subject: `procedure:${code}`, detail: { created: row.created } });
    return { created: row.created, procedure: toProcedure(row) };
  }

  async putProcedure(code: string, entry: ProcedureEntry, by: ChangedBy) {
    return this.db.tx(async (q) => {
      const result = await this.upsert(q, code, entry, by);
      await bump(q);
      return result;
    });
  }

  async putProcedures(entries: Array<{ code: string; entry: ProcedureEntry }>, by: ChangedBy): Promise<void> {
    if (entries.length === 0) return;
    await this.db.tx(async (q) => {
      for (const e of entries) await this.upsert(q, e.code, e.entry, by);
      await bump(q);
    });
  }

  async deleteProcedure(code: string, by: ChangedBy): Promise<boolean> {
    return this.db.tx(async (q) => {
      const rows = await q.query('delete from procedures where code = $1 returning code', [code]);
      if (rows.length) {
        await bump(q);
        await writeAudit(q, { actor: by.actor, action: 'procedure.deleted', subject: `procedure:${code}` });
      }
      return rows.length > 0;
    });
  }

  async getOverride(year: number): Promise<CalendarOverride | undefined> {
    const [row] = await this.db.query<CalendarOverride>(
      `select days_off as "daysOff", working_days as "workingDays" from calendar_overrides where year = $1`,
      [year],
    );
    return row;
  }

  async putOverride(year: number, o: CalendarOverride, by: ChangedBy): Promise<void> {
    await this.db.tx(async (q) => {
      await q.query(
        `insert into calendar_overrides (year, days_off, working_days, updated_by) values ($1, $2, $3, $4)
         on conflict (year) do update set days_off = excluded.days_off, working_days = excluded.working_days,
           updated_by = excluded.updated_by, updated_at = now()`,
        [year, JSON.stringify(o.daysOff), JSON.stringify(o.workingDays), by.label],
      );
      await bump(q);
      await writeAudit(q, { actor: by.actor, action: 'calendar.saved', subject: `calendar:${year}`, detail: { daysOff: o.daysOff, workingDays: o.workingDays } });
    });
  }
}
