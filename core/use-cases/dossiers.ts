import { conflict, invalid, notFound } from '../errors.js';
import { localIso } from '../calendar/local-time.js';
import { contentHash } from '../hash.js';
import { baseProcedureCode } from '../model/codes.js';
import type { Department } from '../model/department.js';
import type { Dossier, Supplement, Withdrawal } from '../model/dossier.js';
import { actorOf, type Principal } from '../model/principal.js';
import { canTransition, type Status } from '../model/status.js';
import type { DeliveryRow, DossierFilter, DossierRow } from '../ports/index.js';
import type { CorePorts } from './context.js';

/** The ports DossierService uses. */
export type DossierPorts = Pick<CorePorts, 'deadlines' | 'deliveries' | 'departments' | 'dossiers' | 'logger' | 'queue' | 'telemetry' | 'transactions'>;
import { dossierResource, type DossierResource } from './dossier-resource.js';
import type { OpenDeadlineState } from '../calendar/deadline-state.js';
import { initialDeadline, onStatusChange, onSupplement } from '../deadlines/clock.js';
import { DeadlineConfig } from '../deadlines/deadline-config.js';
import { deadlineFilter } from '../deadlines/deadline-view.js';
import { deadlinePatch, dueChangedEntries, rulesOf } from '../deadlines/entries.js';
import type { Extension } from '../model/procedure.js';
import type { NewTimelineEntry } from '../ports/index.js';

type FollowUpEntry = { type: string; status: Status; note: string | null; detail?: Record<string, unknown>; deadline?: NewTimelineEntry['deadline']; after?: NewTimelineEntry[] };
import type { DepartmentHealthService } from './department-health.js';

/** Hồ sơ use-cases: accept once, read, and the center's follow-ups. */
export class DossierService {
  constructor(
    private readonly ctx: DossierPorts,
    private readonly health?: DepartmentHealthService,
  ) {}

  /**
   * Accept a validated dossier. Stored, its first timeline entry and its
   * pending `submit` delivery committed together before this resolves; then
   * queued (a queue failure leaves it pending for the sweeper).
   * `created: false` when the same content was accepted before.
   * Throws 409 for the same code with other content, 422 when no enabled
   * department decides the procedure.
   *
   * One statement in the usual case: the route comes from the store's cache
   * and the accept statement itself checks it is still current (else the
   * route is read again and the accept retried); the answer is built from
   * what was written, not read back.
   */
  async accept(dossier: Dossier, by: Principal): Promise<{ created: boolean; dossier: DossierResource }> {
    const hash = contentHash(dossier);
    const status: Status = dossier.status ?? 'received';
    // In memory (the catalog and calendar are cached): no round trip.
    const snapshot = await this.ctx.deadlines.snapshot();
    const deadline = initialDeadline(dossier, rulesOf(DeadlineConfig.lookup(snapshot, dossier.procedure.code)), snapshot.calendar);
    const deadlineDetail = deadline.dueAt ? { dueAt: deadline.dueAt, deadlineSource: deadline.source } : {};
    for (let attempt = 0; attempt < 3; attempt++) {
      const department = await this.route(dossier, hash, attempt > 0);
      if ('existing' in department) return department.existing;
      const result = await this.ctx.dossiers.accept({
        dossier,
        departmentId: department.id,
        status,
        contentHash: hash,
        deadline,
        entry: { type: status, status, actor: actorOf(by), detail: { department: department.id, configVersion: department.version, ...deadlineDetail } },
        delivery: {
          departmentId: department.id,
          operation: 'submit',
          configVersion: department.version,
          idempotencyKey: `${dossier.code}:submit`,
        },
        routedBy: {
          version: department.version,
          ...(dossier.department ? {} : { procedure: { code: dossier.procedure.code, baseCode: baseProcedureCode(dossier.procedure.code) } }),
        },
      });
      if ('stale' in result) continue;
      if (!result.created) return this.sameOrConflict(result.existing, hash);
      this.ctx.telemetry.dossierAccepted(department.id);
      await this.enqueue(result.deliveryId, department.id, dossier.code);
      return { created: true, dossier: dossierResource(result.row, snapshot.calendar, result.timeline, result.deliveries) };
    }
    throw new Error(`dossier ${dossier.code}: its department kept changing while it was being accepted`);
  }

  private sameOrConflict(existing: DossierRow, hash: string) {
    if (existing.contentHash !== hash) {
      throw conflict(`dossier ${existing.code} was already submitted with different content; a new submission needs a new code`);
    }
    return this.resource(existing.code).then((dossier) => ({ created: false, dossier }));
  }

  /**
   * The department deciding the dossier (`fresh`: never from a cache). When
   * none can take it, a dossier accepted before under this code is still
   * answered as before (same content → 200, other content → 409) rather
   * than refused with 422.
   */
  private async route(dossier: Dossier, hash: string, fresh: boolean): Promise<Department | { existing: { created: boolean; dossier: DossierResource } }> {
    const ctx = this.ctx;
    const refuse = async (problem: Error) => {
      const before = await ctx.dossiers.get(dossier.code);
      if (before) return { existing: await this.sameOrConflict(before, hash) };
      throw problem;
    };
    if (dossier.department) {
      const d = await ctx.departments.get(dossier.department);
      if (!d) return refuse(invalid('unknown department', [{ path: 'department', message: `no department ${dossier.department} is registered` }]));
      if (!d.enabled) return refuse(invalid('department disabled', [{ path: 'department', message: `department ${d.id} is disabled` }]));
      return d;
    }
    const code = dossier.procedure.code;
    const d = fresh ? await ctx.departments.routeNow(code, baseProcedureCode(code)) : await ctx.departments.route(code, baseProcedureCode(code));
    if (!d) {
      if (!fresh) return this.route(dossier, hash, true); // a route cached as missing never is: read again before refusing
      return refuse(invalid(`no department decides procedure ${code}`, [
        { path: 'procedure.code', message: `no department is registered for procedure ${code}` },
      ]));
    }
    if (!d.enabled) {
      if (!fresh) return this.route(dossier, hash, true);
      return refuse(invalid(`department ${d.id} is disabled`, [{ path: 'procedure.code', message: `procedure ${code} routes to department ${d.id}, which is disabled` }]));
    }
    return d;
  }

  /** Queue a delivery; if Redis is unreachable the delivery stays pending and the sweeper queues it later. */
  async enqueue(deliveryId: number, departmentId: string, dossierCode: string): Promise<void> {
    try {
      await this.ctx.queue.enqueue({ id: deliveryId, departmentId });
    } catch (err) {
      this.ctx.logger.warn({ dossierCode, deliveryId, err: (err as Error).message }, 'queue unreachable: delivery left pending for the sweeper');
    }
  }

  /** Read a dossier as `by` may see it: another department's dossier does not exist for a department key. */
  async load(code: string, by: Principal): Promise<DossierRow> {
    const row = await this.ctx.dossiers.get(code);
    if (!row || (by.role === 'department' && row.departmentId !== by.departmentId)) throw notFound(`dossier ${code}`);
    return row;
  }

  /** The dossier, its timeline and deliveries as of one snapshot (a change committing meanwhile shows in all or none). */
  async resource(code: string): Promise<DossierResource> {
    const resource = await this.snapshot(code);
    // Pending and held back: the department is down (circuit open) or paused by hand.
    if (resource.delivery?.state === 'pending' && this.health) {
      const waiting = await this.health.waiting(resource.department).catch(() => undefined);
      if (waiting) return { ...resource, delivery: { ...resource.delivery, waiting } };
    }
    return resource;
  }

  private async snapshot(code: string): Promise<DossierResource> {
    return this.ctx.transactions.snapshot(async (q) => {
      const row = await this.ctx.dossiers.get(code, q);
      if (!row) throw notFound(`dossier ${code}`);
      const timeline = await this.ctx.dossiers.timeline(code, q);
      const deliveries = await this.ctx.deliveries.ofDossier(code, q);
      return { row, timeline, deliveries };
    }).then(async ({ row, timeline, deliveries }) => dossierResource(row, await this.ctx.deadlines.calendar(), timeline, deliveries));
  }

  async get(code: string, by: Principal): Promise<DossierResource> {
    await this.load(code, by);
    return this.resource(code);
  }

  /** `deadline` narrows to open dossiers in that state (the date bounds come from the calendar, the filtering from SQL). */
  async list(query: Omit<DossierFilter, 'deadline'> & { deadline?: OpenDeadlineState }, by: Principal) {
    const calendar = await this.ctx.deadlines.calendar();
    const { deadline, ...rest } = query;
    let filter: DossierFilter = { ...rest, ...(deadline ? { deadline: deadlineFilter(deadline, calendar) } : {}) };
    if (by.role === 'department') filter = { ...filter, department: by.departmentId };
    const rows = await this.ctx.dossiers.list({ ...filter, limit: filter.limit + 1 });
    const page = rows.slice(0, filter.limit);
    const last = page.at(-1);
    // The same delivery summary as the single resource, for the whole page in one query.
    const latest = await this.ctx.deliveries.latestOf(page.map((row) => row.code));
    return {
      items: page.map((row) => dossierResource(row, calendar, undefined, undefined, latest.get(row.code))),
      nextCursor: rows.length > filter.limit && last ? String(last.id) : null,
    };
  }

  /**
   * Bổ sung: forward the applicant's added papers with operation `supplement`.
   * The clock runs again from `receivedAt` (when the applicant brought them;
   * default now): restart or pause, as the procedure's catalog entry says.
   */
  async supplement(code: string, supplement: Supplement, by: Principal): Promise<DossierResource> {
    const snapshot = await this.ctx.deadlines.snapshot();
    const atMs = supplement.receivedAt ? Date.parse(supplement.receivedAt) : Date.now();
    return this.followUp(code, by, 'supplement', supplement, (row) => {
      const step = onSupplement(row, atMs, snapshot.calendar, rulesOf(DeadlineConfig.lookup(snapshot, row.procedureCode)));
      return {
        type: 'supplement_sent',
        status: row.status,
        note: supplement.note ?? null,
        detail: { documents: supplement.documents.map((d) => d.id), ...(supplement.receivedAt ? { receivedAt: supplement.receivedAt } : {}) },
        deadline: deadlinePatch(row, step.deadline),
        after: dueChangedEntries(step, row.status),
      };
    });
  }

  /**
   * Xin lỗi và hẹn lại ngày trả: the apology and new appointment. On the
   * timeline (`extended`) and in `extendedTo`; `dueAt` does not move, so a
   * late dossier stays late. 409 when it has no due date or is finished.
   */
  async extend(code: string, body: Extension, by: Principal): Promise<DossierResource> {
    await this.load(code, by);
    await this.ctx.transactions.tx(async (q) => {
      const row = await this.ctx.dossiers.lock(q, code);
      if (!row) throw notFound(`dossier ${code}`);
      if (!row.dueAt) throw conflict(`dossier ${code} has no due date to extend`);
      if (row.doneAt || row.closedAt || ['resolved', 'returned', 'withdrawn', 'not_accepted'].includes(row.status)) {
        throw conflict(`dossier ${code} is ${row.status}: there is no appointment left to move`);
      }
      if (Date.parse(body.newDueAt) <= Date.parse(row.dueAt)) {
        throw invalid('the new date must be after the due date', [{ path: 'newDueAt', message: `must be after the due date ${row.dueAt}` }]);
      }
      const extendedTo = localIsoOf(body.newDueAt);
      await this.ctx.dossiers.append(q, code, {
        type: 'extended',
        status: row.status,
        actor: actorOf(by),
        note: body.reason,
        detail: { dueAt: localIsoOf(row.dueAt), extendedTo, ...(row.extendedTo ? { previousExtendedTo: localIsoOf(row.extendedTo) } : {}) },
        deadline: { extendedTo },
      });
    });
    this.ctx.logger.info({ dossierCode: code }, 'dossier extended');
    return this.resource(code);
  }

  /** Rút hồ sơ: the dossier becomes `withdrawn`; unsent deliveries are cancelled; the department is told. */
  async withdraw(code: string, withdrawal: Withdrawal, by: Principal): Promise<DossierResource> {
    const calendar = await this.ctx.deadlines.calendar();
    return this.followUp(code, by, 'withdraw', withdrawal, (row) => {
      if (!canTransition(row.status, 'withdrawn')) throw conflict(`dossier ${code} is ${row.status}: it can no longer be withdrawn`);
      const step = onStatusChange(row, row.status, 'withdrawn', Date.now(), calendar, undefined);
      return { type: 'withdrawn', status: 'withdrawn', note: withdrawal.reason, deadline: deadlinePatch(row, step.deadline) };
    });
  }

  /**
   * Record a center follow-up on the dossier and, when the department has the
   * operation and already holds the dossier, queue it. All in one transaction.
   */
  private async followUp(
    code: string,
    by: Principal,
    operation: 'supplement' | 'withdraw',
    payload: Supplement | Withdrawal,
    entryFor: (row: DossierRow) => FollowUpEntry,
  ): Promise<DossierResource> {
    const ctx = this.ctx;
    await this.load(code, by);
    const queued = await ctx.transactions.tx(async (q) => {
      const row = await ctx.dossiers.lock(q, code);
      if (!row) throw notFound(`dossier ${code}`);
      const entry = entryFor(row);
      if (operation === 'supplement' && ['not_accepted', 'withdrawn', 'returned'].includes(row.status)) {
        throw conflict(`dossier ${code} is ${row.status}: it takes no supplement`);
      }
      const department = await ctx.departments.get(row.departmentId, q);
      if (!department) throw notFound(`department ${row.departmentId}`);
      const open = await ctx.deliveries.openOf(q, code);
      // Not sent yet (pending, or failed and waiting for an operator): the department never got it.
      const unsent = open.filter((d) => d.state !== 'delivering');
      const submitUnsent = unsent.some((d) => d.operation === 'submit');
      if (operation === 'withdraw') {
        // Stop sending it; an attempt in flight finishes, and the withdrawal follows it.
        for (const d of unsent) await ctx.deliveries.setState(q, d.id, 'cancelled', 'cancelled: dossier withdrawn');
      }
      const hasOperation = Boolean(department.config.operations[operation]);
      const send = hasOperation && !(operation === 'withdraw' && submitUnsent);
      const { after, ...first } = entry;
      await ctx.dossiers.append(q, code, {
        ...first,
        actor: actorOf(by),
        detail: { ...entry.detail, forwarded: send, ...(send ? {} : { why: hasOperation ? 'the department never received the dossier' : `department has no ${operation} operation` }) },
      });
      for (const e of after ?? []) await ctx.dossiers.append(q, code, e);
      if (!send) return undefined;
      const n = (await ctx.deliveries.ofDossier(code, q)).filter((d) => d.operation === operation).length + 1;
      const id = await ctx.dossiers.addDelivery(q, {
        dossierCode: code,
        departmentId: department.id,
        operation,
        configVersion: department.version,
        idempotencyKey: `${code}:${operation}:${n}`,
        payload,
      });
      return { id, departmentId: department.id };
    });
    if (queued) await this.enqueue(queued.id, queued.departmentId, code);
    return this.resource(code);
  }

  /** Đã trả kết quả: the center handed the result to the applicant. */
  async returned(code: string, body: { at?: string; note?: string }, by: Principal): Promise<DossierResource> {
    await this.load(code, by);
    await this.ctx.transactions.tx(async (q) => {
      const row = await this.ctx.dossiers.lock(q, code);
      if (!row) throw notFound(`dossier ${code}`);
      if (!canTransition(row.status, 'returned')) throw conflict(`dossier ${code} is ${row.status}: only a resolved or suspended dossier can be returned`);
      await this.ctx.dossiers.append(q, code, {
        type: 'returned',
        status: 'returned',
        actor: actorOf(by),
        note: body.note ?? null,
        detail: body.at ? { at: body.at } : {},
      });
    });
    return this.resource(code);
  }

  /** Re-queue the dossier's failed deliveries with a fresh attempt budget. */
  async retry(code: string, by: Principal): Promise<DossierResource> {
    const row = await this.load(code, by);
    // Nothing is sent to a disabled department: say so rather than queue a delivery it would never take.
    const department = await this.ctx.departments.get(row.departmentId);
    if (!department?.enabled) {
      throw conflict(
        `department ${row.departmentId} is disabled: nothing was sent; enable it again (PUT /v1/departments/${row.departmentId} with "enabled": true), then retry`,
      );
    }
    if ((await this.requeueFailed(code, actorOf(by))) === 0) throw conflict(`dossier ${code} has no failed delivery to retry`);
    return this.resource(code);
  }

  /**
   * A document arrived: deliveries that carry documents and gave up (most
   * likely waiting for this very upload) are queued again.
   */
  async resumeAfterUpload(code: string, by: Principal): Promise<number> {
    return this.requeueFailed(code, `${actorOf(by)} (document uploaded)`, (d) => d.operation !== 'withdraw');
  }

  /** Failed deliveries of a dossier back to pending with a fresh budget, each on the timeline; how many. */
  private async requeueFailed(code: string, actor: string, which: (d: DeliveryRow) => boolean = () => true): Promise<number> {
    const failed = await this.ctx.transactions.tx(async (q) => {
      const row = await this.ctx.dossiers.lock(q, code);
      if (!row) throw notFound(`dossier ${code}`);
      const rows = (await this.ctx.deliveries.openOf(q, code)).filter((d) => d.state === 'failed' && which(d));
      // A retry follows a fix (the department's system or its config): it uses the current config version.
      const department = await this.ctx.departments.get(row.departmentId, q);
      for (const d of rows) {
        await this.ctx.deliveries.requeue(q, d.id, department?.version ?? d.configVersion);
        await this.ctx.dossiers.append(q, code, {
          type: 'delivery_retried',
          status: row.status,
          actor,
          detail: { deliveryId: d.id, operation: d.operation, previousError: d.lastError, configVersion: department?.version ?? d.configVersion },
        });
      }
      return rows;
    });
    for (const d of failed) await this.enqueue(d.id, d.departmentId, code);
    return failed.length;
  }
}


const localIsoOf = (instant: string) => localIso(Date.parse(instant));
