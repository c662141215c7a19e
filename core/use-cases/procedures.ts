import { invalid, notFound, zodIssues, type FieldIssue } from '../errors.js';
import { PROCEDURE_CODE } from '../model/codes.js';
import { procedureEntrySchema, type Procedure, type ProcedureEntry } from '../model/procedure.js';
import { changedBy } from '../audit/entry.js';
import type { Principal } from '../model/principal.js';
import { changedPaths } from '../diff.js';
import { DeadlineConfig } from '../deadlines/deadline-config.js';
import type { CorePorts } from './context.js';

/** The ports ProcedureService uses. */
export type ProcedurePorts = Pick<CorePorts, 'deadlineStore' | 'deadlines' | 'departments' | 'dossiers' | 'logger'>;

/** One entry of a catalog file: the code and the document. */
export interface CatalogItem {
  code: unknown;
  body: unknown;
  /** Where it came from, for messages (`row 3`, `procedures[2]`). */
  where: string;
}

export interface CatalogPlan {
  ok: boolean;
  problems: Array<{ where: string; errors: FieldIssue[] }>;
  /** `+ code: new`, `~ code: changed paths`, `= code: unchanged`. */
  lines: string[];
  created: number;
  changed: number;
  unchanged: number;
}

/** The public listing row (`GET /public/procedures`): no internal settings. */
export interface PublicProcedure {
  code: string;
  name: string;
  sector: string | null;
  department: { id: string; name: string } | null;
  processingTime: Procedure['processingTime'];
  fees: Procedure['fees'];
}

const codeIssue = (code: unknown): FieldIssue[] =>
  typeof code === 'string' && PROCEDURE_CODE.test(code) ? [] : [{ path: 'code', message: 'must be a procedure code such as 2.001610 (or 1.003560.000.00.00.H56)' }];

/**
 * Danh mục thủ tục hành chính: the catalog due dates are computed from, and
 * the listing the center publishes. Every change reloads this process's
 * in-memory copy at once (others see it within DEADLINE_CACHE_MS) and gives
 * dossiers accepted before deadlines existed their computed due date.
 */
export class ProcedureService {
  constructor(private readonly ctx: ProcedurePorts) {}

  async list(): Promise<Procedure[]> {
    return this.ctx.deadlineStore.listProcedures();
  }

  async get(code: string): Promise<Procedure> {
    const p = await this.ctx.deadlineStore.getProcedure(code);
    if (!p) throw notFound(`procedure ${code}`);
    return p;
  }

  async put(code: string, entry: ProcedureEntry, by: Principal): Promise<{ created: boolean; procedure: Procedure }> {
    const issues = codeIssue(code);
    if (issues.length) throw invalid(`"${code}" is not a procedure code`, issues);
    const result = await this.ctx.deadlineStore.putProcedure(code, entry, changedBy(by));
    await this.changed();
    this.ctx.logger.info({ procedure: code, created: result.created }, 'procedure saved');
    return result;
  }

  async delete(code: string, by: Principal): Promise<void> {
    if (!(await this.ctx.deadlineStore.deleteProcedure(code, changedBy(by)))) throw notFound(`procedure ${code}`);
    await this.ctx.deadlines.changed();
    this.ctx.logger.info({ procedure: code }, 'procedure deleted');
  }

  /**
   * Load many at once: every item checked first; nothing saved unless all
   * are good; then those that change are saved in one transaction.
   */
  async apply(items: CatalogItem[], by: Principal, options: { dryRun?: boolean } = {}): Promise<CatalogPlan> {
    const current = new Map((await this.list()).map((p) => [p.code, p]));
    const problems: CatalogPlan['problems'] = [];
    const seen = new Map<string, string>();
    const plan: Array<{ code: string; entry: ProcedureEntry; paths: string[] | null }> = [];
    for (const item of items) {
      const errors = codeIssue(item.code);
      const parsed = procedureEntrySchema.safeParse(item.body);
      if (!parsed.success) errors.push(...zodIssues(parsed.error.issues));
      const code = String(item.code);
      const twice = seen.get(code);
      if (twice) errors.push({ path: 'code', message: `${code} is also in ${twice}` });
      seen.set(code, item.where);
      if (errors.length || !parsed.success) {
        problems.push({ where: item.where, errors });
        continue;
      }
      const before = current.get(code);
      const { code: _c, updatedAt: _u, ...stored } = before ?? ({} as Procedure);
      plan.push({ code, entry: parsed.data, paths: before ? changedPaths(stored, parsed.data) : null });
    }
    const lines = plan.map((p) => (p.paths === null ? `+ ${p.code}: new` : p.paths.length ? `~ ${p.code}: ${p.paths.join(', ')}` : `= ${p.code}: unchanged`));
    const changes = plan.filter((p) => p.paths === null || p.paths.length > 0);
    const result = {
      ok: problems.length === 0,
      problems,
      lines: problems.length ? [] : lines,
      created: plan.filter((p) => p.paths === null).length,
      changed: plan.filter((p) => p.paths?.length).length,
      unchanged: plan.filter((p) => p.paths && p.paths.length === 0).length,
    };
    if (!result.ok || options.dryRun || changes.length === 0) return result;
    await this.ctx.deadlineStore.putProcedures(changes, changedBy(by));
    await this.changed();
    this.ctx.logger.info({ created: result.created, changed: result.changed }, 'procedure catalog applied');
    return result;
  }

  /** The public listing: every procedure with the (enabled) department that decides it. */
  async publicList(): Promise<PublicProcedure[]> {
    const [procedures, departments] = await Promise.all([this.list(), this.ctx.departments.list()]);
    const decides = new Map<string, { id: string; name: string }>();
    for (const d of departments) {
      if (!d.enabled) continue;
      for (const code of d.config.procedures) decides.set(code, { id: d.id, name: d.config.name });
    }
    return procedures.map((p) => ({
      code: p.code,
      name: p.name,
      sector: p.sector ?? null,
      department: decides.get(p.code) ?? null,
      processingTime: p.processingTime,
      fees: p.fees,
    }));
  }

  private async changed(): Promise<void> {
    await this.ctx.deadlines.changed();
    await this.backfill();
  }

  /**
   * Dossiers accepted before this release without a `dueAt` get the due date
   * the catalog gives (receivedAt + processing time; earlier pauses are not
   * replayed). Those whose procedure is not in the catalog wait for it.
   * Safe to run from many processes at once. Returns how many got one.
   */
  async backfill(batch = 500): Promise<number> {
    const snapshot = await this.ctx.deadlines.snapshot();
    let done = 0;
    let after = 0;
    for (;;) {
      const rows = await this.ctx.dossiers.awaitingDeadline(after, batch);
      for (const r of rows) {
        const p = DeadlineConfig.lookup(snapshot, r.procedureCode);
        if (!p || !r.receivedAt) continue;
        const dueAt = new Date(snapshot.calendar.dueAt(Date.parse(r.receivedAt), p.processingTime)).toISOString();
        if (await this.ctx.dossiers.backfillDeadline(r.code, dueAt)) done++;
      }
      if (rows.length < batch) break;
      after = rows.at(-1)!.id;
    }
    if (done) this.ctx.logger.info({ dossiers: done }, 'due dates computed for dossiers accepted before deadlines existed');
    return done;
  }
}
