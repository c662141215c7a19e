import { conflict, invalid, notFound } from '../errors.js';
import { contentHash } from '../hash.js';
import { baseProcedureCode } from '../model/codes.js';
import type { Dossier, Supplement, Withdrawal } from '../model/dossier.js';
import { actorOf, type Principal } from '../model/principal.js';
import { canTransition, type Status } from '../model/status.js';
import type { DeliveryRow, DossierFilter, DossierRow } from '../ports/index.js';
import type { CorePorts } from './context.js';

/** The ports DossierService uses. */
export type DossierPorts = Pick<CorePorts, 'deliveries' | 'departments' | 'dossiers' | 'logger' | 'queue' | 'transactions'>;
import { dossierResource, type DossierResource } from './dossier-resource.js';

/** Hồ sơ use-cases: accept once, read, and the center's follow-ups. */
export class DossierService {
  constructor(private readonly ctx: DossierPorts) {}

  /**
   * Accept a validated dossier. Stored, its first timeline entry and its
   * pending `submit` delivery committed together before this resolves; then
   * queued (a queue failure leaves it pending for the sweeper).
   * `created: false` when the same content was accepted before.
   * Throws 409 for the same code with other content, 422 when no enabled
   * department decides the procedure.
   */
  async accept(dossier: Dossier, by: Principal): Promise<{ created: boolean; dossier: DossierResource }> {
    const hash = contentHash(dossier);
    const before = await this.ctx.dossiers.get(dossier.code);
    if (before) return this.sameOrConflict(before, hash);

    const department = await this.route(dossier);
    const status: Status = dossier.status ?? 'received';
    const result = await this.ctx.dossiers.accept({
      dossier,
      departmentId: department.id,
      status,
      contentHash: hash,
      entry: { type: status, status, actor: actorOf(by), detail: { department: department.id, configVersion: department.version } },
      delivery: {
        departmentId: department.id,
        operation: 'submit',
        configVersion: department.version,
        idempotencyKey: `${dossier.code}:submit`,
      },
    });
    if (!result.created) return this.sameOrConflict(result.existing, hash);
    this.ctx.logger.info({ dossierCode: dossier.code, department: department.id, deliveryId: result.deliveryId }, 'dossier accepted');
    await this.enqueue(result.deliveryId, department.id, dossier.code);
    return { created: true, dossier: await this.resource(dossier.code) };
  }

  private sameOrConflict(existing: DossierRow, hash: string) {
    if (existing.contentHash !== hash) {
      throw conflict(`dossier ${existing.code} was already submitted with different content; a new submission needs a new code`);
    }
    return this.resource(existing.code).then((dossier) => ({ created: false, dossier }));
  }

  private async route(dossier: Dossier) {
    const ctx = this.ctx;
    if (dossier.department) {
      const d = await ctx.departments.get(dossier.department);
      if (!d) throw invalid('unknown department', [{ path: 'department', message: `no department ${dossier.department} is registered` }]);
      if (!d.enabled) throw invalid('department disabled', [{ path: 'department', message: `department ${d.id} is disabled` }]);
      return d;
    }
    const code = dossier.procedure.code;
    const d = await ctx.departments.route(code, baseProcedureCode(code));
    if (!d) {
      throw invalid(`no department decides procedure ${code}`, [
        { path: 'procedure.code', message: `no department is registered for procedure ${code}` },
      ]);
    }
    if (!d.enabled) {
      throw invalid(`department ${d.id} is disabled`, [{ path: 'procedure.code', message: `procedure ${code} routes to department ${d.id}, which is disabled` }]);
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
    return this.ctx.transactions.snapshot(async (q) => {
      const row = await this.ctx.dossiers.get(code, q);
      if (!row) throw notFound(`dossier ${code}`);
      const timeline = await this.ctx.dossiers.timeline(code, q);
      const deliveries = await this.ctx.deliveries.ofDossier(code, q);
      return dossierResource(row, timeline, deliveries);
    });
  }

  async get(code: string, by: Principal): Promise<DossierResource> {
    await this.load(code, by);
    return this.resource(code);
  }

  async list(filter: DossierFilter, by: Principal) {
    if (by.role === 'department') filter = { ...filter, department: by.departmentId };
    const rows = await this.ctx.dossiers.list({ ...filter, limit: filter.limit + 1 });
    const page = rows.slice(0, filter.limit);
    const last = page.at(-1);
    // The same delivery summary as the single resource, for the whole page in one query.
    const latest = await this.ctx.deliveries.latestOf(page.map((row) => row.code));
    return {
      items: page.map((row) => dossierResource(row, undefined, undefined, latest.get(row.code))),
      nextCursor: rows.length > filter.limit && last ? String(last.id) : null,
    };
  }

  /** Bổ sung: forward the applicant's added papers with operation `supplement`. */
  async supplement(code: string, supplement: Supplement, by: Principal): Promise<DossierResource> {
    return this.followUp(code, by, 'supplement', supplement, (row) => ({
      type: 'supplement_sent',
      status: row.status,
      note: supplement.note ?? null,
      detail: { documents: supplement.documents.map((d) => d.id) },
    }));
  }

  /** Rút hồ sơ: the dossier becomes `withdrawn`; unsent deliveries are cancelled; the department is told. */
  async withdraw(code: string, withdrawal: Withdrawal, by: Principal): Promise<DossierResource> {
    return this.followUp(code, by, 'withdraw', withdrawal, (row) => {
      if (!canTransition(row.status, 'withdrawn')) throw conflict(`dossier ${code} is ${row.status}: it can no longer be withdrawn`);
      return { type: 'withdrawn', status: 'withdrawn', note: withdrawal.reason };
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
    entryFor: (row: DossierRow) => { type: string; status: Status; note: string | null; detail?: Record<string, unknown> },
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
      await ctx.dossiers.append(q, code, {
        ...entry,
        actor: actorOf(by),
        detail: { ...entry.detail, forwarded: send, ...(send ? {} : { why: hasOperation ? 'the department never received the dossier' : `department has no ${operation} operation` }) },
      });
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

