import type { CanonicalMessage } from '../adapter.js';
import { DeliveryError, failureKind } from '../errors.js';
import type { Supplement, Withdrawal } from '../model/dossier.js';
import { canTransition, type Status } from '../model/status.js';
import type { DeliveryRow, DossierRow } from '../ports/index.js';
import type { CorePorts } from './context.js';

/** The ports DeliveryService uses. */
export type DeliveryPorts = Pick<CorePorts, 'adapters' | 'deliveries' | 'departments' | 'dossiers' | 'logger' | 'mapper' | 'settings' | 'transactions'>;
import type { DocumentService } from './documents.js';

export type DeliveryOutcome =
  | { outcome: 'delivered'; reference?: string }
  | { outcome: 'skipped'; why: string };

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2000);

/**
 * Send one queued operation to its department, with the department config
 * version it was queued under, and record the outcome on the delivery and the
 * dossier's timeline. Throws the classified `DeliveryError` when the attempt
 * failed; `final` on the thrown error's `detail.code === 'final'` tells the
 * queue not to try again (permanent, or attempt budget spent).
 */
export class DeliveryService {
  constructor(
    private readonly ctx: DeliveryPorts,
    private readonly documents: DocumentService,
  ) {}

  /** Attempt budget of a department's deliveries. */
  attemptsFor(config: { delivery?: { attempts?: number } } | undefined): number {
    return config?.delivery?.attempts ?? this.ctx.settings.deliveryAttempts;
  }

  async deliver(deliveryId: number): Promise<DeliveryOutcome> {
    const ctx = this.ctx;
    const d = await ctx.deliveries.startAttempt(deliveryId);
    if (!d) return { outcome: 'skipped', why: 'delivery is not open (delivered, cancelled or failed)' };
    const row = await ctx.dossiers.get(d.dossierCode);
    const config = await ctx.departments.version(d.departmentId, d.configVersion);
    if (!row || !config) return this.fail(d, row, DeliveryError.permanent(`department ${d.departmentId} version ${d.configVersion} or dossier is missing`), 1);
    const budget = this.attemptsFor(config);
    const log = ctx.logger.child({ dossierCode: d.dossierCode, department: d.departmentId, operation: d.operation, attempt: d.attempts });
    try {
      const message: CanonicalMessage = { dossier: row.content, ...(row.reference ? { reference: row.reference } : {}) };
      if (d.operation === 'supplement') message.supplement = d.payload as Supplement;
      if (d.operation === 'withdraw') message.withdrawal = d.payload as Withdrawal;
      const payload = await ctx.mapper.request(config, d.operation, message);
      const adapter = ctx.adapters.get({ id: d.departmentId, version: d.configVersion }, config);
      const started = Date.now();
      const docs = d.operation === 'submit' ? row.content.documents : d.operation === 'supplement' ? (message.supplement?.documents ?? []) : [];
      const answer = await adapter.send({
        operation: d.operation,
        dossierCode: d.dossierCode,
        idempotencyKey: d.idempotencyKey,
        ...(row.reference ? { reference: row.reference } : {}),
        message,
        payload,
        documents: this.documents.access(d.dossierCode, docs),
      });
      let reference: string | undefined;
      let referenceError: string | undefined;
      if (d.operation === 'submit') {
        // The department has the dossier now: a reference we cannot read must not undo that.
        reference = await ctx.mapper.reference(config, answer.answer).catch((err) => {
          referenceError = errorText(err);
          return undefined;
        });
      }
      await this.succeed(d, reference, { latencyMs: Date.now() - started, httpStatus: answer.status, referenceError });
      log.info({ latencyMs: Date.now() - started, reference }, 'delivered');
      return { outcome: 'delivered', ...(reference ? { reference } : {}) };
    } catch (err) {
      log.warn({ kind: failureKind(err), err: errorText(err) }, 'delivery attempt failed');
      return this.fail(d, row, err, budget);
    }
  }

  private async succeed(d: DeliveryRow, reference: string | undefined, info: { latencyMs: number; httpStatus?: number; referenceError?: string }) {
    const ctx = this.ctx;
    await ctx.transactions.tx(async (q) => {
      const row = await ctx.dossiers.lock(q, d.dossierCode);
      if (!row) return;
      await ctx.deliveries.setState(q, d.id, 'delivered');
      const detail = {
        deliveryId: d.id,
        operation: d.operation,
        attempt: d.attempts,
        configVersion: d.configVersion,
        latencyMs: info.latencyMs,
        ...(info.httpStatus ? { httpStatus: info.httpStatus } : {}),
        ...(reference ? { reference } : {}),
        ...(info.referenceError ? { referenceError: info.referenceError } : {}),
      };
      const actor = `department:${d.departmentId}`;
      if (d.operation !== 'submit') {
        await ctx.dossiers.append(q, d.dossierCode, { type: 'delivered', status: row.status, actor, detail });
        return;
      }
      // The department accepted the dossier: it is received (if it was only registered), then processing.
      let status: Status = row.status;
      if (status === 'registered') status = 'received';
      if (canTransition(status, 'processing')) status = 'processing';
      await ctx.dossiers.append(q, d.dossierCode, { type: 'delivered', status, actor, detail, ...(reference ? { reference } : {}) });
    });
  }

  private async fail(d: DeliveryRow, row: DossierRow | undefined, err: unknown, budget: number): Promise<never> {
    const ctx = this.ctx;
    const kind = failureKind(err);
    const final = kind === 'permanent' || d.attempts >= budget;
    const text = errorText(err);
    await ctx.transactions.tx(async (q) => {
      await ctx.deliveries.setState(q, d.id, final ? 'failed' : 'pending', `${kind}: ${text}`);
      const locked = row && (await ctx.dossiers.lock(q, d.dossierCode));
      if (!locked) return;
      await ctx.dossiers.append(q, d.dossierCode, {
        type: final ? 'delivery_failed' : 'delivery_attempt_failed',
        status: locked.status,
        actor: 'lienthong',
        note: text,
        detail: { deliveryId: d.id, operation: d.operation, attempt: d.attempts, of: budget, kind, final },
      });
    });
    if (final) ctx.logger.error({ dossierCode: d.dossierCode, department: d.departmentId, operation: d.operation, kind }, 'delivery failed: needs an operator (retry)');
    throw new DeliveryError(kind, text, { code: final ? 'final' : 'retry', cause: err });
  }
}
