import { auditActor } from '../audit/entry.js';
import { invalid } from '../errors.js';
import { actorOf, type Principal } from '../model/principal.js';
import type { DeliveryState } from '../model/status.js';
import type { DeliveryListItem, FailedFilter } from '../ports/index.js';
import type { Status } from '../model/status.js';
import type { CorePorts } from './context.js';

/** The ports DeliveryAdminService uses. */
export type DeliveryAdminPorts = Pick<CorePorts, 'audit' | 'deliveries' | 'dossiers' | 'logger' | 'queue' | 'transactions'>;

/** Rows per transaction (and per bulk queue add) of a bulk retry: no giant transaction, no giant Redis command. */
export const RETRY_BATCH = 500;

/**
 * Failed deliveries, many at once (gửi lại hàng loạt): the list, and the bulk
 * retry that queues every matching `failed` delivery again with a fresh
 * attempt budget, each with its `delivery_retried` timeline entry.
 */
export class DeliveryAdminService {
  constructor(
    private readonly ctx: DeliveryAdminPorts,
    private readonly batch = RETRY_BATCH,
  ) {}

  async list(
    filter: { state: DeliveryState; department?: string; operation?: string; limit: number; cursor?: string },
    by: Principal,
  ): Promise<{ items: Array<Omit<DeliveryListItem, 'id'>>; nextCursor: string | null }> {
    const department = by.role === 'department' ? by.departmentId : filter.department;
    let cursor: number | undefined;
    if (filter.cursor !== undefined) {
      cursor = Number(filter.cursor);
      if (!Number.isInteger(cursor) || cursor < 1) throw invalid('invalid cursor', [{ path: 'cursor', message: 'must be a cursor returned as nextCursor' }]);
    }
    const rows = await this.ctx.deliveries.list({
      state: filter.state,
      limit: filter.limit + 1,
      ...(department ? { department } : {}),
      ...(filter.operation ? { operation: filter.operation } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
    });
    const page = rows.slice(0, filter.limit);
    return {
      items: page.map(({ id: _id, ...item }) => item),
      nextCursor: rows.length > filter.limit && page.length ? String(page.at(-1)!.id) : null,
    };
  }

  /**
   * Queue again every failed delivery matching `filter` (`dryRun`: only
   * count them). Batch by batch: each batch's rows are requeued, given their
   * timeline entries and committed in one transaction, then queued with one
   * bulk add per department. `matched` counts what matched, `requeued` what
   * was still failed when its batch ran.
   */
  async retry(filter: FailedFilter & { dryRun?: boolean }, by: Principal): Promise<{ matched: number; requeued: number }> {
    for (const key of ['failedAfter', 'failedBefore'] as const) {
      const v = filter[key];
      if (v !== undefined && Number.isNaN(Date.parse(v))) throw invalid(`invalid ${key}`, [{ path: key, message: 'must be an ISO 8601 date-time' }]);
    }
    const { dryRun, ...match } = filter;
    if (dryRun) return { matched: await this.ctx.deliveries.countFailed(match), requeued: 0 };
    const ctx = this.ctx;
    const actor = actorOf(by);
    let matched = 0;
    let requeued = 0;
    for (let after = 0; ; ) {
      const ids = await ctx.deliveries.failedIds(match, after, this.batch);
      if (ids.length === 0) break;
      matched += ids.length;
      after = ids.at(-1)!;
      const rows = await ctx.transactions.tx(async (q) => {
        // Dossier rows first, in one order: the same order as every other writer (dossier, then delivery).
        const status = await ctx.deliveries.lockDossiersOf(q, ids);
        const done = await ctx.deliveries.requeueFailed(q, ids);
        for (const d of done) {
          await ctx.dossiers.append(q, d.dossierCode, {
            type: 'delivery_retried',
            status: status.get(d.dossierCode) as Status,
            actor: `${actor} (bulk retry)`,
            detail: { deliveryId: d.id, operation: d.operation, previousError: d.lastError, configVersion: d.configVersion, bulk: true },
          });
        }
        return done;
      });
      requeued += rows.length;
      // Queue unreachable: the deliveries are pending in the store; the sweeper queues them.
      await ctx.queue.enqueueMany(rows.map((d) => ({ id: d.id, departmentId: d.departmentId }))).catch((err: Error) =>
        ctx.logger.warn({ err: err.message, deliveries: rows.length }, 'bulk retry: queue unreachable, left pending for the sweeper'),
      );
    }
    await ctx.transactions.tx((q) =>
      ctx.audit.write(q, { actor: auditActor(by), action: 'deliveries.bulk_retry', subject: 'deliveries', detail: { ...match, matched, requeued } }),
    );
    ctx.logger.info({ by: actor, ...match, matched, requeued }, 'bulk retry');
    return { matched, requeued };
  }
}
