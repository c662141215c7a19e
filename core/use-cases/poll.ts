import type { Adapter } from '../adapter.js';
import { DeliveryError, failureKind, ProblemError } from '../errors.js';
import type { DepartmentConfig } from '../model/department.js';
import type { CorePorts } from './context.js';

/** The ports PollService uses. */
export type PollPorts = Pick<CorePorts, 'adapters' | 'departments' | 'dossiers' | 'logger' | 'mapper'>;
import type { EventService } from './events.js';

export interface PollSummary {
  polled: number;
  changed: number;
  failed: number;
}

/**
 * Ask a department's `status` operation about each of its open dossiers and
 * apply what it answers as events (actor `department:<id>:poll`). A failure on
 * one dossier is logged and does not stop the others.
 */
export class PollService {
  constructor(
    private readonly ctx: PollPorts,
    private readonly events: EventService,
  ) {}

  async pollDepartment(departmentId: string, options: { limit?: number; concurrency?: number } = {}): Promise<PollSummary> {
    const ctx = this.ctx;
    const summary: PollSummary = { polled: 0, changed: 0, failed: 0 };
    const department = await ctx.departments.get(departmentId);
    const config = department?.config;
    if (!department || !department.enabled || !config?.operations.status) return summary;
    const adapter = ctx.adapters.get(department, config);
    if (adapter.receive) return this.receive(departmentId, config, adapter.receive.bind(adapter));
    const queue = await ctx.dossiers.openForPolling(departmentId, options.limit ?? 1000);
    const log = ctx.logger.child({ department: departmentId, operation: 'status' });
    const worker = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        summary.polled++;
        try {
          const message = { dossier: row.content, ...(row.reference ? { reference: row.reference } : {}) };
          const payload = await ctx.mapper.request(config, 'status', message);
          const answer = await adapter.send({
            operation: 'status',
            dossierCode: row.code,
            idempotencyKey: `${row.code}:status`,
            ...(row.reference ? { reference: row.reference } : {}),
            message,
            payload,
          });
          const event = await ctx.mapper.event(config, 'status', answer.answer);
          if (!event) continue;
          const outcome = await this.events.apply(departmentId, event, `department:${departmentId}:poll`, row.code);
          if (outcome.applied && !outcome.duplicate) summary.changed++;
        } catch (err) {
          summary.failed++;
          log.warn({ dossierCode: row.code, err: (err as Error).message }, 'status poll failed');
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
    return summary;
  }

  /**
   * Transports where the department leaves answers for us (file drop): each
   * one is mapped with `operations.status.event` and applied; a message that
   * cannot be mapped or applied is rejected, and the adapter sets it aside
   * with the reason.
   */
  private async receive(departmentId: string, config: DepartmentConfig, receive: NonNullable<Adapter['receive']>): Promise<PollSummary> {
    const log = this.ctx.logger.child({ department: departmentId, operation: 'receive' });
    const summary: PollSummary = { polled: 0, changed: 0, failed: 0 };
    const counts = await receive(async (message) => {
      summary.polled++;
      try {
        const event = await this.ctx.mapper.event(config, 'status', message.answer);
        if (!event) throw new Error(`operations.status.event yielded no event for ${message.name}`);
        const outcome = await this.events.apply(departmentId, event, `department:${departmentId}:file`, undefined, { openFile: message.openFile, source: 'file' });
        if (outcome.applied && !outcome.duplicate) summary.changed++;
        log.info({ file: message.name, dossierCode: outcome.dossierCode, status: outcome.status, applied: outcome.applied }, 'department file applied');
      } catch (err) {
        summary.failed++;
        // What the department sent is wrong (mapping, unknown dossier): set it aside. Anything else
        // (our database, our blob store) may pass: the file goes back for another look.
        const theirs = err instanceof ProblemError || failureKind(err) === 'permanent';
        log.warn({ file: message.name, err: (err as Error).message, setAside: theirs }, theirs ? 'department file refused' : 'department file not applied yet');
        throw theirs ? err : DeliveryError.transient((err as Error).message, { cause: err });
      }
    }, { log });
    return { ...summary, polled: counts.received + counts.failed };
  }
}
