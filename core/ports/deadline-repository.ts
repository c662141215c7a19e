import type { CalendarOverride } from '../calendar/working-calendar.js';
import type { ChangedBy } from '../audit/entry.js';
import type { Procedure, ProcedureEntry } from '../model/procedure.js';

/**
 * Where the procedure catalog and the calendar overrides are kept.
 * Implemented by store/deadline-store.ts.
 * Every write bumps one shared version in the same transaction, so that each
 * process can tell with a one-row read whether its in-memory copy is stale,
 * and writes its audit entry (`procedure.saved`, `procedure.deleted`,
 * `calendar.saved`) in that transaction too.
 */
export interface DeadlineRepository {
  /** The version of the catalog and calendar together; moves on every change. */
  version(): Promise<number>;
  /** Everything, as of one version. */
  snapshot(): Promise<{ version: number; procedures: Procedure[]; overrides: Map<number, CalendarOverride> }>;
  getProcedure(code: string): Promise<Procedure | undefined>;
  listProcedures(): Promise<Procedure[]>;
  /** Create or replace; `created` when the code was new. */
  putProcedure(code: string, entry: ProcedureEntry, by: ChangedBy): Promise<{ created: boolean; procedure: Procedure }>;
  /** Many at once, in one transaction: all or none. */
  putProcedures(entries: Array<{ code: string; entry: ProcedureEntry }>, by: ChangedBy): Promise<void>;
  /** False when there was no such code. */
  deleteProcedure(code: string, by: ChangedBy): Promise<boolean>;
  getOverride(year: number): Promise<CalendarOverride | undefined>;
  /** Replace the year's overrides. */
  putOverride(year: number, override: CalendarOverride, by: ChangedBy): Promise<void>;
}
