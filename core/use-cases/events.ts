import type { Readable } from 'node:stream';
import { invalid, notFound } from '../errors.js';
import { eventIdentity, type CanonicalEvent, type DossierResult } from '../model/event.js';
import { canTransition, isStatus, statusCode, type Status } from '../model/status.js';
import type { DossierRow, EventSource, NewTimelineEntry } from '../ports/index.js';
import type { CorePorts } from './context.js';

/** The ports EventService uses. */
export type EventPorts = Pick<CorePorts, 'deadlines' | 'dossiers' | 'logger' | 'telemetry' | 'transactions'>;
import type { ResultService } from './results.js';
import { onStatusChange } from '../deadlines/clock.js';
import { DeadlineConfig } from '../deadlines/deadline-config.js';
import { deadlinePatch, dueChangedEntries, rulesOf } from '../deadlines/entries.js';

export interface EventOutcome {
  dossierCode: string;
  status: Status;
  statusCode: number;
  applied: boolean;
  reason?: string;
  /** The same event was applied before: nothing changed this time. */
  duplicate?: boolean;
}

/**
 * Apply a department's canonical event (after `statusMap`) to one of its
 * dossiers: a status change when the contract allows the move, a progress
 * entry when the status is unchanged, a refusal on the timeline otherwise.
 * Events of one dossier apply one at a time (row lock); replaying an event
 * (same dossier, status, note, occurredAt) changes nothing.
 */
export class EventService {
  constructor(
    private readonly ctx: EventPorts,
    private readonly results: ResultService,
  ) {}

  /** Which dossier an event is about; a dossier of another department does not exist for it. */
  async target(departmentId: string, event: CanonicalEvent, polledCode?: string): Promise<DossierRow> {
    const { dossiers } = this.ctx;
    const code = polledCode ?? event.dossierCode;
    let row: DossierRow | undefined;
    if (code) row = await dossiers.get(code);
    else if (event.reference) row = await dossiers.byReference(departmentId, event.reference);
    else throw invalid('the event names no dossier', [{ path: 'dossierCode', message: 'an event needs dossierCode or reference' }]);
    if (!row || row.departmentId !== departmentId) throw notFound(`dossier ${code ?? `with reference ${event.reference}`}`);
    return row;
  }

  /**
   * `attachments.openFile` reads files the department left beside its answer
   * (file drop), for `results` entries given as `file`; `attachments.source`
   * says where the event came from, for the metrics (default: callback).
   */
  async apply(
    departmentId: string,
    event: CanonicalEvent,
    actor: string,
    polledCode?: string,
    attachments?: { openFile?: (name: string) => Promise<Readable>; source?: EventSource },
  ): Promise<EventOutcome> {
    const { code } = await this.target(departmentId, event, polledCode);
    const identity = eventIdentity(code, event.status, event.note, event.occurredAt);
    // Inline and attached results are stored now, while they are at hand; URLs are fetched after the commit.
    const prepared = event.results?.length ? await this.results.prepare(code, event.results, attachments?.openFile) : [];
    const snapshot = await this.ctx.deadlines.snapshot();
    // The instant of a status change: the department's own time when it gives one.
    const atMs = event.occurredAt ? Date.parse(event.occurredAt) : Date.now();
    const outcome = await this.ctx.transactions.tx(async (q): Promise<EventOutcome> => {
      const row = await this.ctx.dossiers.lock(q, code);
      if (!row) throw notFound(`dossier ${code}`);
      const seen = await this.ctx.dossiers.findByIdentity(q, code, identity);
      if (seen) {
        const applied = seen.detail?.applied !== false;
        return { dossierCode: code, status: row.status, statusCode: statusCode(row.status), applied, duplicate: true, reason: 'the same event was applied before' };
      }
      const known = new Set((row.results ?? []).map((r) => r.id));
      const fresh = prepared.filter((r) => !known.has(r.id));
      const { entry, applied, reason } = decide(row, event, fresh as DossierResult[]);
      const step = onStatusChange(row, row.status, entry.status, atMs, snapshot.calendar, rulesOf(DeadlineConfig.lookup(snapshot, row.procedureCode)));
      const patch = deadlinePatch(row, step.deadline);
      await this.ctx.dossiers.append(q, code, {
        ...entry,
        ...(Object.keys(patch).length ? { deadline: patch } : {}),
        actor,
        identity,
        note: event.note ?? null,
        detail: {
          applied,
          ...(reason ? { reason } : {}),
          eventStatus: event.status,
          ...(event.occurredAt ? { occurredAt: event.occurredAt } : {}),
          ...(event.reference ? { reference: event.reference } : {}),
        },
      });
      for (const e of dueChangedEntries(step, entry.status)) await this.ctx.dossiers.append(q, code, e);
      return { dossierCode: code, status: entry.status, statusCode: statusCode(entry.status), applied, ...(reason ? { reason } : {}) };
    });
    this.ctx.logger.info({ dossierCode: code, department: departmentId, status: outcome.status, applied: outcome.applied, duplicate: outcome.duplicate ?? false }, 'department event');
    this.ctx.telemetry.event(departmentId, attachments?.source ?? (polledCode ? 'poll' : 'callback'), outcome.applied);
    if (outcome.applied && prepared.some((r) => r.state === 'pending')) {
      // Fetched now in the background; the result puller retries what fails.
      void this.results.pull(code).catch((err) => this.ctx.logger.warn({ dossierCode: code, err: (err as Error).message }, 'result fetch failed'));
    }
    return outcome;
  }
}

function decide(row: DossierRow, event: CanonicalEvent, results: DossierResult[]): { entry: Omit<NewTimelineEntry, 'actor'>; applied: boolean; reason?: string } {
  const refuse = (reason: string) => ({ entry: { type: 'event_refused', status: row.status }, applied: false, reason });
  const to = event.status;
  if (!isStatus(to)) return refuse(`unknown status "${to}": not a canonical status and not in the department's statusMap`);
  const learnt = {
    ...(event.reference && !row.reference ? { reference: event.reference } : {}),
    ...(results.length ? { results } : {}),
  };
  if (to === row.status) return { entry: { type: 'progress', status: to, ...learnt }, applied: true };
  if (!canTransition(row.status, to)) return refuse(`a dossier cannot move from ${row.status} to ${to}`);
  return { entry: { type: 'status_changed', status: to, ...learnt }, applied: true };
}
