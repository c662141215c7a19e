import type { Deadline } from '../core/deadlines/clock.js';
import type { Dossier } from '../core/model/dossier.js';
import type { DossierResult } from '../core/model/event.js';
import type { Status } from '../core/model/status.js';
import type {
  AcceptResult, DossierRepository, DossierRow, DossierFilter, DossierView, NewDelivery, TimelineEntry, NewTimelineEntry, DeliveryRow, AcceptGuard,
} from '../core/ports/index.js';
import { isPortalStep } from '../core/model/portal-step.js';
import { actorFromTimeline, timelineAuditDetail } from '../core/audit/entry.js';
import { auditInsertSql } from './audit-store.js';
import type { Db, Queryable } from './db.js';
import { DELIVERY_COLUMNS } from './delivery-store.js';
import type { PortalRecorder } from './portal-store.js';
import { insertStep, Params, withSteps } from './sql.js';

const DOSSIER_COLUMNS = `code, department_id as "departmentId", procedure_code as "procedureCode", status,
  content, content_hash as "contentHash", reference, results, created_at as "createdAt", updated_at as "updatedAt", id,
  received_at as "receivedAt", due_at as "dueAt", deadline_source as source, paused_since as "pausedSince",
  extended_to as "extendedTo", done_at as "doneAt", closed_at as "closedAt"`;

/** Deadline fields → their columns (migration 004). */
const DEADLINE_COLUMNS: Record<keyof Deadline, string> = {
  receivedAt: 'received_at',
  dueAt: 'due_at',
  source: 'deadline_source',
  pausedSince: 'paused_since',
  extendedTo: 'extended_to',
  doneAt: 'done_at',
  closedAt: 'closed_at',
};

/** Open and running (not paused), in SQL: what the deadline filter narrows down. */
const OPEN = `due_at is not null and done_at is null and closed_at is null and status not in ('resolved', 'returned', 'withdrawn', 'not_accepted')`;

/** The CTE step `entry` that inserts the timeline entry `entry` for the dossier of CTE `from` (its `code`), with seq `seq` (SQL). */
function entryStep(p: Params, entry: NewTimelineEntry, at: { from: string; seq: string }): string {
  return insertStep('entry', 'dossier_events', {
    dossier_code: `${at.from}.code`,
    seq: at.seq,
    type: p.add(entry.type, 'text'),
    status: p.add(entry.status, 'text'),
    actor: p.add(entry.actor, 'text'),
    note: p.add(entry.note ?? null, 'text'),
    detail: p.json(entry.detail),
    identity: p.add(entry.identity ?? null, 'text'),
  }, { from: at.from });
}
/** Dossiers and their append-only timeline. */
export class DossierStore implements DossierRepository {
  /** `portal`, when national portal sync is on: records each timeline entry for it, in the entry's transaction. */
  constructor(
    private readonly db: Db,
    private readonly options: { portal?: PortalRecorder } = {},
  ) {}

  /** What reads return: the dossier's columns, plus its portal state when sync is on. */
  private get readColumns(): string {
    return this.options.portal ? `${DOSSIER_COLUMNS}, ${this.options.portal.viewColumn} as portal` : DOSSIER_COLUMNS;
  }

  /**
   * Accept a dossier: the dossier row, its first timeline entry and its
   * pending `submit` delivery (and, with portal sync, its portal outbox row)
   * committed together, in one statement: one round trip, one pool checkout.
   * When the code exists already, nothing is written and the stored row is
   * returned (a second statement, only then). When the department changed
   * since it was routed (`routedBy`), nothing is written either (`stale`).
   *
   * A created dossier comes back as its resource's parts (`row`, `timeline`,
   * `deliveries`), built from what was written and the database's clock: no
   * read-back.
   *
   * To write one more column with the dossier (or the delivery), add it to
   * `dossier` (or `delivery`) below: `column: p.add(value, 'type'),`. To write
   * one more row in the same commit (an audit entry…), add one
   * `insertStep('name', 'table', {…}, { from: 'created' })` to `steps`: it
   * runs only when the dossier was created (`from: 'created'` has no row
   * otherwise).
   */
  async accept(input: {
    dossier: Dossier;
    departmentId: string;
    status: Status;
    contentHash: string;
    /** Its deadline, computed before the insert (no extra round trip); none when absent. */
    deadline?: Deadline;
    entry: NewTimelineEntry;
    delivery: Omit<NewDelivery, 'dossierCode'>;
    /** What the department was routed from (maybe a cached route); checked as the dossier is written. Unchecked when absent. */
    routedBy?: AcceptGuard;
  }): Promise<AcceptResult> {
    const { dossier, entry, delivery, routedBy } = input;
    const p = new Params();
    const route = routedBy?.procedure
      ? ` and d.id = (select r.department_id from procedure_routes r where r.procedure_code = any(${p.add([routedBy.procedure.code, routedBy.procedure.baseCode], 'text[]')})
           order by (r.procedure_code = ${p.add(routedBy.procedure.code, 'text')}) desc limit 1)`
      : '';
    const steps = [
      routedBy
        ? `routed as (select 1 from departments d where d.id = ${p.add(input.departmentId, 'text')}
             and d.version = ${p.add(routedBy.version, 'int')} and d.enabled${route})`
        : 'routed as (select 1)',
      insertStep('created', 'dossiers', {
        code: p.add(dossier.code, 'text'),
        department_id: p.add(input.departmentId, 'text'),
        procedure_code: p.add(dossier.procedure.code, 'text'),
        status: p.add(input.status, 'text'),
        content: p.json(dossier),
        content_hash: p.add(input.contentHash, 'text'),
        received_at: p.add(input.deadline?.receivedAt ?? dossier.receivedAt, 'timestamptz'),
        due_at: p.add(input.deadline?.dueAt ?? null, 'timestamptz'),
        deadline_source: p.add(input.deadline?.source ?? null, 'text'),
        event_seq: '1',
      }, { where: 'exists (select 1 from routed)', onConflict: '(code) do nothing', returning: 'code, id, created_at as at' }),
      entryStep(p, entry, { from: 'created', seq: '1' }),
      insertStep('delivery', 'deliveries', {
        dossier_code: 'created.code',
        department_id: p.add(delivery.departmentId, 'text'),
        operation: p.add(delivery.operation, 'text'),
        state: `'pending'`,
        config_version: p.add(delivery.configVersion, 'int'),
        idempotency_key: p.add(delivery.idempotencyKey, 'text'),
        payload: p.json(delivery.payload),
      }, { from: 'created', returning: 'id' }),
      ...(this.options.portal ? [this.options.portal.firstEntryStep('portal', 'created')] : []),
      // The audit entry "dossier.accepted" (it names this first timeline entry: not a second one).
      insertStep('audit', 'audit_log', {
        actor: p.json(actorFromTimeline(entry.actor)),
        action: `'dossier.accepted'`,
        subject: `'dossier:' || created.code`,
        detail: p.json({
          department: input.departmentId, procedure: dossier.procedure.code, channel: dossier.channel ?? null, status: input.status,
          contentHash: input.contentHash, configVersion: delivery.configVersion, timeline: { seq: 1, type: entry.type },
        }),
      }, { from: 'created' }),
    ];
    const [done] = await this.db.query<{ routed: boolean; id: number | null; at: string; deliveryId: number }>(
      withSteps(steps, `select exists (select 1 from routed) as routed, created.id, created.at, delivery.id as "deliveryId"
        from (select 1) one left join created on true left join delivery on true`),
      p.values,
    );
    if (!done?.routed) return { created: false, stale: true };
    if (done.id === null) {
      const existing = await this.get(dossier.code);
      if (!existing) throw new Error(`dossier ${dossier.code} vanished during accept`);
      return { created: false, existing };
    }
    this.options.portal?.recorded();
    const row: DossierView = {
      id: done.id,
      code: dossier.code,
      departmentId: input.departmentId,
      procedureCode: dossier.procedure.code,
      status: input.status,
      content: dossier,
      contentHash: input.contentHash,
      reference: null,
      results: [],
      createdAt: done.at,
      updatedAt: done.at,
      receivedAt: isoOrNull(input.deadline?.receivedAt ?? dossier.receivedAt),
      dueAt: isoOrNull(input.deadline?.dueAt),
      source: input.deadline?.source ?? null,
      pausedSince: null,
      extendedTo: null,
      doneAt: null,
      closedAt: null,
      ...(this.options.portal ? { portal: { state: 'pending' as const, syncedAt: null, message: null } } : {}),
    };
    const timeline: TimelineEntry[] = [
      { seq: 1, type: entry.type, at: done.at, status: entry.status, actor: entry.actor, note: entry.note ?? null, detail: entry.detail ?? null },
    ];
    const deliveries: DeliveryRow[] = [
      {
        id: done.deliveryId, dossierCode: dossier.code, departmentId: delivery.departmentId, operation: delivery.operation, state: 'pending',
        configVersion: delivery.configVersion, idempotencyKey: delivery.idempotencyKey, payload: delivery.payload ?? null, attempts: 0,
        lastError: null, createdAt: done.at, updatedAt: done.at, deliveredAt: null,
      },
    ];
    return { created: true, deliveryId: done.deliveryId, row, timeline, deliveries };
  }

  async get(code: string, q: Queryable = this.db): Promise<DossierView | undefined> {
    const [row] = await q.query<DossierRow>(`select ${this.readColumns} from dossiers where code = $1`, [code]);
    return row;
  }

  /** Lock the dossier row for the rest of the transaction: events of one dossier apply one at a time. */
  async lock(q: Queryable, code: string): Promise<DossierRow | undefined> {
    const [row] = await q.query<DossierRow>(`select ${DOSSIER_COLUMNS} from dossiers where code = $1 for update`, [code]);
    return row;
  }

  async byReference(departmentId: string, reference: string): Promise<DossierRow | undefined> {
    const [row] = await this.db.query<DossierRow>(
      `select ${DOSSIER_COLUMNS} from dossiers where department_id = $1 and reference = $2 order by id desc limit 1`,
      [departmentId, reference],
    );
    return row;
  }

  /** Newest first; `cursor` is the internal id of the last row of the previous page. */
  async list(filter: DossierFilter): Promise<DossierView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.status) add('status = ?', filter.status);
    if (filter.department) add('department_id = ?', filter.department);
    if (filter.cursor !== undefined) add('id < ?', filter.cursor);
    const d = filter.deadline;
    if (d?.state === 'paused') where.push(`${OPEN} and paused_since is not null`);
    if (d?.state === 'overdue') add(`${OPEN} and paused_since is null and due_at < ?`, d.todayStart);
    if (d?.state === 'due_soon') {
      add(`${OPEN} and paused_since is null and due_at >= ?`, d.todayStart);
      add('due_at < ?', d.soonEnd);
    }
    if (d?.state === 'on_time') add(`${OPEN} and paused_since is null and due_at >= ?`, d.soonEnd);
    if (filter.deliveryState) {
      add(
        `(select state from deliveries d where d.dossier_code = dossiers.code order by d.id desc limit 1) = ?`,
        filter.deliveryState,
      );
    }
    params.push(filter.limit);
    return this.db.query<DossierRow>(
      `select ${this.readColumns} from dossiers ${where.length ? `where ${where.join(' and ')}` : ''}
        order by id desc limit $${params.length}`,
      params,
    );
  }

  /** Dossiers accepted before deadlines existed, still without a due date (migration 004), by id. */
  async awaitingDeadline(afterId: number, limit: number): Promise<Array<{ id: number; code: string; procedureCode: string; receivedAt: string | null }>> {
    return this.db.query(
      `select id, code, procedure_code as "procedureCode", received_at as "receivedAt" from dossiers
        where deadline_backfill and id > $1 order by id limit $2`,
      [afterId, limit],
    );
  }

  /** Give such a dossier its computed due date; false when another process did it first. */
  async backfillDeadline(code: string, dueAt: string): Promise<boolean> {
    const rows = await this.db.query(
      `update dossiers set due_at = $2, deadline_source = 'computed', deadline_backfill = false
        where code = $1 and deadline_backfill and due_at is null returning 1`,
      [code, dueAt],
    );
    return rows.length > 0;
  }

  /** Open dossiers of a department that its `status` operation should poll. */
  async openForPolling(departmentId: string, limit: number): Promise<DossierRow[]> {
    return this.db.query<DossierRow>(
      `select ${DOSSIER_COLUMNS} from dossiers
        where department_id = $1 and reference is not null
          and status not in ('not_accepted', 'withdrawn', 'returned', 'resolved')
        order by updated_at asc limit $2`,
      [departmentId, limit],
    );
  }

  async timeline(code: string, q: Queryable = this.db): Promise<TimelineEntry[]> {
    return q.query<TimelineEntry>(
      `select seq, type, at, status, actor, note, detail from dossier_events where dossier_code = $1 order by seq`,
      [code],
    );
  }

  /** Was an event with this identity applied to the dossier already? Returns its entry. */
  async findByIdentity(q: Queryable, code: string, identity: string): Promise<TimelineEntry | undefined> {
    const [row] = await q.query<TimelineEntry>(
      `select seq, type, at, status, actor, note, detail from dossier_events where dossier_code = $1 and identity = $2`,
      [code, identity],
    );
    return row;
  }

  /**
   * Append a timeline entry (and set the dossier's status to the entry's
   * status), with its audit entry `timeline.<type>` in the same statement
   * (`audited`: the caller wrote one that covers it). Must run inside a
   * transaction that locked the dossier or created it.
   */
  async append(q: Queryable, code: string, entry: NewTimelineEntry, options: { audited?: boolean } = {}): Promise<number> {
    const params: unknown[] = [code, entry.status, entry.reference ?? null, entry.results ? JSON.stringify(entry.results) : null];
    const sets = Object.entries(entry.deadline ?? {}).map(([field, value]) => {
      params.push(value);
      return `, ${DEADLINE_COLUMNS[field as keyof Deadline]} = $${params.length}`;
    });
    const [row] = await q.query<{ seq: number }>(
      `update dossiers set event_seq = event_seq + 1, status = $2, updated_at = now(),
         reference = coalesce($3, reference),
         results = case when $4::jsonb is null then results else results || $4::jsonb end${sets.join('')}
       where code = $1 returning event_seq as seq`,
      params,
    );
    if (!row) throw new Error(`dossier ${code} does not exist`);
    const values = [code, row.seq, entry.type, entry.status, entry.actor, entry.note ?? null, entry.detail ? JSON.stringify(entry.detail) : null, entry.identity ?? null];
    const insert = `insert into dossier_events (dossier_code, seq, type, status, actor, note, detail, identity) values ($1, $2, $3, $4, $5, $6, $7, $8)`;
    if (options.audited) await q.query(insert, values);
    else {
      // Every timeline entry is also an audit entry ("timeline.<type>"), in the same statement.
      await q.query(
        `with e as (${insert} returning dossier_code)
         ${auditInsertSql({ actor: '$9', action: '$10', subject: "'dossier:' || e.dossier_code", detail: '$11', from: 'e' })}`,
        [...values, JSON.stringify(actorFromTimeline(entry.actor)), `timeline.${entry.type}`, JSON.stringify(timelineAuditDetail(entry, row.seq))],
      );
    }
    await this.options.portal?.record(q, code, row.seq, entry);
    return row.seq;
  }

  /**
   * A delivery went through: in one statement, the delivery becomes
   * `delivered` and the dossier gets `entry` (its status set to the entry's,
   * its reference learnt, with the portal outbox row when the entry is for
   * the portal), provided the dossier's status is still `expected` (what the
   * caller decided from). Returns the entry's seq, or undefined when the
   * status moved on meanwhile (a department event applied): nothing was
   * written, decide again from the current status and call again.
   */
  async delivered(code: string, expected: Status, entry: NewTimelineEntry, deliveryId: number): Promise<number | undefined> {
    const p = new Params();
    const portal = this.options.portal && isPortalStep({ seq: 2, type: entry.type, status: entry.status }, expected);
    const steps = [
      `appended as (update dossiers set event_seq = event_seq + 1, status = ${p.add(entry.status, 'text')}, updated_at = now(),
         reference = coalesce(${p.add(entry.reference ?? null, 'text')}, reference)
       where code = ${p.add(code, 'text')} and status = ${p.add(expected, 'text')} returning code, event_seq as seq)`,
      entryStep(p, entry, { from: 'appended', seq: 'appended.seq' }),
      // Every timeline entry is also an audit entry ("timeline.<type>"), in the same statement.
      insertStep('audit', 'audit_log', {
        actor: p.json(actorFromTimeline(entry.actor)),
        action: p.add(`timeline.${entry.type}`, 'text'),
        subject: `'dossier:' || appended.code`,
        detail: `jsonb_set(${p.json(timelineAuditDetail(entry, 0))}, '{seq}', to_jsonb(appended.seq))`,
      }, { from: 'appended' }),
      `delivery as (update deliveries set state = 'delivered', last_error = null, updated_at = now(), delivered_at = now()
       where id = ${p.add(deliveryId, 'int')} and exists (select 1 from appended))`,
      ...(portal ? [this.options.portal!.entryStep('portal', 'appended')] : []),
    ];
    const [row] = await this.db.query<{ seq: number }>(withSteps(steps, 'select seq from appended'), p.values);
    if (row && portal) this.options.portal!.recorded();
    return row?.seq;
  }

  /**
   * `startAttempt` and the read of the delivery's dossier in one statement:
   * what a delivery job needs before it sends. Undefined when the delivery is
   * not open any more.
   */
  async startDelivery(id: number): Promise<(DeliveryRow & { dossier: DossierRow }) | undefined> {
    const [row] = await this.db.query<DeliveryRow & { dossier: DossierRow }>(
      `update deliveries d set state = 'delivering', attempts = d.attempts + 1, updated_at = now()
         from dossiers x
        where d.id = $1 and d.state in ('pending', 'delivering') and x.code = d.dossier_code
        returning ${DELIVERY_COLUMNS.replace(/(^|, |\n\s*)(\w+)/g, '$1d.$2')},
          json_build_object('id', x.id, 'code', x.code, 'departmentId', x.department_id, 'procedureCode', x.procedure_code,
            'status', x.status, 'content', x.content, 'contentHash', x.content_hash, 'reference', x.reference, 'results', x.results,
            'createdAt', x.created_at, 'updatedAt', x.updated_at) as dossier`,
      [id],
    );
    return row;
  }

  async addDelivery(q: Queryable, d: NewDelivery): Promise<number> {
    const [row] = await q.query<{ id: number }>(
      `insert into deliveries (dossier_code, department_id, operation, state, config_version, idempotency_key, payload)
       values ($1, $2, $3, 'pending', $4, $5, $6) returning id`,
      [d.dossierCode, d.departmentId, d.operation, d.configVersion, d.idempotencyKey, d.payload === undefined ? null : JSON.stringify(d.payload)],
    );
    if (!row) throw new Error('delivery insert returned nothing');
    return row.id;
  }

  /** Replace the dossier's results list (under its lock). */
  async setResults(q: Queryable, code: string, results: unknown[]): Promise<void> {
    await q.query('update dossiers set results = $2, updated_at = now() where code = $1', [code, JSON.stringify(results)]);
  }

  /** Dossiers holding a result still to fetch. */
  async withPendingResults(limit: number): Promise<string[]> {
    const rows = await this.db.query<{ code: string }>(
      `select code from dossiers where results @> '[{"state": "pending"}]'::jsonb order by updated_at limit $1`,
      [limit],
    );
    return rows.map((r) => r.code);
  }

  /** Results are kept as given by the department's event, appended in order. */
  static resultsOf(row: DossierRow): DossierResult[] {
    return Array.isArray(row.results) ? row.results : [];
  }
}

/** An instant as the store reads it back (ISO, UTC). */
function isoOrNull(v: string | null | undefined): string | null {
  return v ? new Date(v).toISOString() : null;
}
