import type { CanonicalMessage } from '../adapter.js';
import { AttemptFailedError, DeliveryError, failureKind } from '../errors.js';
import type { Supplement, Withdrawal } from '../model/dossier.js';
import { canTransition, type Status } from '../model/status.js';
import type { DeliveryRow, DossierRow } from '../ports/index.js';
import type { CorePorts } from './context.js';

/** The ports DeliveryService uses. */
export type DeliveryPorts = Pick<CorePorts, 'adapters' | 'deliveries' | 'departments' | 'dossiers' | 'logger' | 'mapper' | 'settings' | 'telemetry' | 'transactions'>;
import type { DocumentService } from './documents.js';

export type DeliveryOutcome =
  | { outcome: 'delivered'; reference?: string }
  | { outcome: 'skipped'; why: string };

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2000);

/**
 * Send one queued operation to its department, with the department config
 * version it was queued under, and record the outcome on the delivery and the
 * dossier's timeline. Throws an `AttemptFailedError` (core/errors.ts) when the
 * attempt failed: its `kind` is the adapter's classification, its `final`
 * tells the queue not to try again (permanent, or attempt budget spent).
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
    // One statement to claim the attempt and read the dossier; the config of a version never changes (cached).
    const d = await ctx.dossiers.startDelivery(deliveryId);
    if (!d) return { outcome: 'skipped', why: 'delivery is not open (delivered, cancelled or failed)' };
    const attemptStarted = performance.now();
    const seconds = () => (performance.now() - attemptStarted) / 1000;
    const row = d.dossier;
    const config = await ctx.departments.version(d.departmentId, d.configVersion);
    if (!config) return this.fail(d, row, DeliveryError.permanent(`department ${d.departmentId} version ${d.configVersion} is missing`), 1);
    const budget = this.attemptsFor(config);
    const ids = { dossierCode: d.dossierCode, department: d.departmentId, operation: d.operation, attempt: d.attempts };
    const log = { info: (o: object, m: string) => ctx.logger.info({ ...ids, ...o }, m), warn: (o: object, m: string) => ctx.logger.warn({ ...ids, ...o }, m) };
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
      await this.succeed(d, row.status, reference, { latencyMs: Date.now() - started, httpStatus: answer.status, referenceError });
      ctx.telemetry.deliveryAttempt(d.departmentId, d.operation, 'delivered', seconds());
      if (d.operation === 'submit') ctx.telemetry.acceptToDelivered(d.departmentId, Math.max(0, Date.now() - Date.parse(row.createdAt)) / 1000);
      log.info({ latencyMs: Date.now() - started, reference }, 'delivered');
      return { outcome: 'delivered', ...(reference ? { reference } : {}) };
    } catch (err) {
      log.warn({ kind: failureKind(err), err: errorText(err) }, 'delivery attempt failed');
      ctx.telemetry.deliveryAttempt(d.departmentId, d.operation, failureKind(err), seconds());
      return this.fail(d, row, err, budget);
    }
  }

  /**
   * Record the success: one statement (delivery delivered, timeline entry,
   * status), decided from the dossier's status read at the start. If a
   * department event changed the status meanwhile, nothing was written:
   * decide again from the current status.
   */
  private async succeed(d: DeliveryRow, status: Status, reference: string | undefined, info: { latencyMs: number; httpStatus?: number; referenceError?: string }) {
    const ctx = this.ctx;
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
    for (let current: Status | undefined = status; current; current = (await ctx.dossiers.get(d.dossierCode))?.status) {
      const entry = { type: 'delivered', status: deliveredStatus(d.operation, current), actor, detail, ...(d.operation === 'submit' && reference ? { reference } : {}) };
      if ((await ctx.dossiers.delivered(d.dossierCode, current, entry, d.id)) !== undefined) return;
    }
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
    throw new AttemptFailedError(kind, text, final, d.attempts, budget, err);
  }
}

/**
 * The dossier's status once the department has an operation: unchanged, but
 * for `submit`, which makes it received (if it was only registered), then
 * processing (from received only).
 */
function deliveredStatus(operation: DeliveryRow['operation'], status: Status): Status {
  if (operation !== 'submit') return status;
  if (status === 'registered') status = 'received';
  // Only from received: a later status the department already reported (its event overtook this answer) stays.
  return status === 'received' && canTransition(status, 'processing') ? 'processing' : status;
}
