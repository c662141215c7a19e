import type { Deadline } from '../core/deadlines/clock.js';
import { StoreUnavailable } from '../core/errors.js';
import type { DossierResult } from '../core/model/event.js';
import type { Status } from '../core/model/status.js';
import type {
  AcceptResult, DossierRepository, DossierRow, DossierFilter, DossierView, NewDelivery, TimelineEntry, NewTimelineEntry, DeliveryRow,
} from '../core/ports/index.js';
import { isPortalStep } from '../core/model/portal-step.js';
import { actorFromTimeline, timelineAuditDetail } from '../core/audit/entry.js';
import { auditInsertSql } from './audit-store.js';
import type { Db, Queryable } from './db.js';
import { DELIVERY_COLUMNS } from './delivery-store.js';
import type { PortalRecorder } from './portal-store.js';
import { GroupCommit } from '../core/group-commit.js';
import { insertStep, withSteps } from './sql.js';

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

/** What `DossierRepository.accept` is given. */
type AcceptInput = Parameters<DossierRepository['accept']>[0];

/** One dossier of the accept statement's JSON array: its columns, as `jsonb_to_recordset` types them. */
const ACCEPT_ROW = `ord int, code text, department_id text, procedure_code text, status text, content jsonb, content_hash text,
  received_at timestamptz, due_at timestamptz, deadline_source text,
  entry_type text, entry_status text, entry_actor text, entry_note text, entry_detail jsonb, entry_identity text,
  delivery_department text, delivery_operation text, delivery_version int, delivery_key text, delivery_payload jsonb,
  checked boolean, routed_version int, route_code text, route_base text, audit_actor jsonb, audit_detail jsonb`;

/** `input` as one object of that array (`ord`: its place in the batch). */
function acceptRow(input: AcceptInput, ord: number): Record<string, unknown> {
  const { dossier, entry, delivery, routedBy } = input;
  return {
    ord,
    code: dossier.code,
    department_id: input.departmentId,
    procedure_code: dossier.procedure.code,
    status: input.status,
    content: dossier,
    content_hash: input.contentHash,
    received_at: input.deadline?.receivedAt ?? dossier.receivedAt ?? null,
    due_at: input.deadline?.dueAt ?? null,
    deadline_source: input.deadline?.source ?? null,
    entry_type: entry.type,
    entry_status: entry.status,
    entry_actor: entry.actor,
    entry_note: entry.note ?? null,
    entry_detail: entry.detail ?? null,
    entry_identity: entry.identity ?? null,
    delivery_department: delivery.departmentId,
    delivery_operation: delivery.operation,
    delivery_version: delivery.configVersion,
    delivery_key: delivery.idempotencyKey,
    delivery_payload: delivery.payload ?? null,
    checked: routedBy !== undefined,
    routed_version: routedBy?.version ?? null,
    route_code: routedBy?.procedure?.code ?? null,
    route_base: routedBy?.procedure?.baseCode ?? null,
    audit_actor: actorFromTimeline(entry.actor),
    audit_detail: {
      department: input.departmentId, procedure: dossier.procedure.code, channel: dossier.channel ?? null, status: input.status,
      contentHash: input.contentHash, configVersion: delivery.configVersion, timeline: { seq: 1, type: entry.type },
    },
  };
}

/** What `delivered` is given. */
type DeliveredInput = { code: string; expected: Status; entry: NewTimelineEntry; deliveryId: number };

/** One delivery end of the `delivered` statement's JSON array. */
const DELIVERED_ROW = `ord int, code text, expected text, status text, reference text, type text, actor text, note text, detail jsonb,
  identity text, delivery_id int, portal boolean, audit_actor jsonb, audit_action text, audit_detail jsonb`;

/**
 * A batch of delivery starts (`startDelivery`): each open one claimed, with its dossier.
 * Committed without waiting for the disk (synchronous_commit off for this statement): a start
 * lost in a database crash loses only an attempt's count; the delivery is still open and is sent again.
 */
const START_SQL = `update deliveries d set state = 'delivering', attempts = d.attempts + 1, updated_at = now()
     from dossiers x, (select set_config('synchronous_commit', 'off', true)) unsynced
    where d.id = any($1::int[]) and d.state in ('pending', 'delivering') and x.code = d.dossier_code
    returning ${DELIVERY_COLUMNS.replace(/(^|, |\n\s*)(\w+)/g, '$1d.$2')},
      json_build_object('id', x.id, 'code', x.code, 'departmentId', x.department_id, 'procedureCode', x.procedure_code,
        'status', x.status, 'content', x.content, 'contentHash', x.content_hash, 'reference', x.reference, 'results', x.results,
        'createdAt', x.created_at, 'updatedAt', x.updated_at) as dossier`;

/**
 * The store's group commits (accepts, delivery starts and ends): at most 2
 * statements in flight, 100 items each; a failed batch is written again one
 * item at a time, unless the database is down.
 */
function batches<I, O>(write: (items: I[]) => Promise<O[]>, key: (item: I) => string): GroupCommit<I, O> {
  return new GroupCommit(write, { key, maxBatch: 100, maxInFlight: 2, retryAlone: (err) => !(err instanceof StoreUnavailable) });
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
   * pending `submit` delivery (and, with portal sync, its portal outbox row,
   * and its audit entry) committed together, in one statement. When the code
   * exists already, nothing is written and the stored row is returned (a
   * second statement, only then). When the department changed since it was
   * routed (`routedBy`), nothing is written either (`stale`).
   *
   * Accepts that arrive while earlier ones are being written go together in
   * the next statement (group commit, `core/group-commit.ts`): one round
   * trip and one commit for a batch, each dossier still all or nothing, and
   * one that fails is tried again alone so that it fails alone.
   *
   * A created dossier comes back as its resource's parts (`row`, `timeline`,
   * `deliveries`), built from what was written and the database's clock: no
   * read-back.
   */
  accept(input: AcceptInput): Promise<AcceptResult> {
    return this.accepts.push(input);
  }

  private readonly accepts = batches<AcceptInput, AcceptResult>((inputs) => this.acceptBatch(inputs), (input) => input.dossier.code);

  /**
   * The accept statement for a batch. Every dossier is one object of the
   * JSON array `$1` (`jsonb_to_recordset`), so the statement's text is the
   * same for 1 or 100 dossiers and stays prepared.
   *
   * To write one more column with the dossier (or the delivery), add it to
   * `ACCEPT_ROW` and to `acceptRow`, then to its step below. To write one
   * more row in the same commit, add one `insertStep('name', 'table', {…},
   * { from: 'created c join input i on i.code = c.code' })` to `steps`: it
   * runs for the dossiers created (not for those that existed or were stale).
   */
  private async acceptBatch(inputs: AcceptInput[]): Promise<AcceptResult[]> {
    const from = 'created c join input i on i.code = c.code';
    const steps = [
      `input as (select * from jsonb_to_recordset($1::jsonb) as i(${ACCEPT_ROW}))`,
      // Still routed as it was (when routedBy was given): the department at that version, enabled, and still the procedure's.
      `routed as (select i.* from input i where not i.checked or exists (
         select 1 from departments d where d.id = i.department_id and d.version = i.routed_version and d.enabled
           and (i.route_code is null or d.id = (select r.department_id from procedure_routes r
                 where r.procedure_code in (i.route_code, i.route_base) order by (r.procedure_code = i.route_code) desc limit 1))))`,
      // In code order: two processes writing batches that share codes take their locks in the same order (no deadlock).
      `created as (insert into dossiers (code, department_id, procedure_code, status, content, content_hash, received_at, due_at, deadline_source, event_seq)
         select code, department_id, procedure_code, status, content, content_hash, received_at, due_at, deadline_source, 1 from routed order by code
         on conflict (code) do nothing returning code, id, created_at as at)`,
      insertStep('entry', 'dossier_events', {
        dossier_code: 'c.code', seq: '1', type: 'i.entry_type', status: 'i.entry_status', actor: 'i.entry_actor',
        note: 'i.entry_note', detail: 'i.entry_detail', identity: 'i.entry_identity',
      }, { from }),
      insertStep('delivery', 'deliveries', {
        dossier_code: 'c.code', department_id: 'i.delivery_department', operation: 'i.delivery_operation', state: `'pending'`,
        config_version: 'i.delivery_version', idempotency_key: 'i.delivery_key', payload: 'i.delivery_payload',
      }, { from, returning: 'id, dossier_code' }),
      ...(this.options.portal ? [this.options.portal.firstEntryStep('portal', 'created')] : []),
      // The audit entry "dossier.accepted" (it names this first timeline entry: not a second one).
      insertStep('audit', 'audit_log', {
        actor: 'i.audit_actor', action: `'dossier.accepted'`, subject: `'dossier:' || c.code`, detail: 'i.audit_detail',
      }, { from: `${from} order by i.ord` }),
    ];
    const rows = await this.db.query<{ code: string; routed: boolean; id: number | null; at: string | null; deliveryId: number | null }>(
      withSteps(steps, `select i.code, r.code is not null as routed, c.id, c.at, dl.id as "deliveryId"
        from input i left join routed r on r.code = i.code left join created c on c.code = i.code
        left join delivery dl on dl.dossier_code = i.code order by i.ord`),
      [JSON.stringify(inputs.map(acceptRow))],
    );
    if (rows.some((r) => r.id !== null)) this.options.portal?.recorded();
    return Promise.all(inputs.map(async (input, i) => {
      const done = rows[i];
      if (!done || done.code !== input.dossier.code) throw new Error(`accept of ${inputs.length} dossier(s): row ${i} came back as ${done?.code}`);
      if (!done.routed) return { created: false, stale: true } as const;
      if (done.id === null || done.at === null || done.deliveryId === null) {
        const existing = await this.get(input.dossier.code);
        if (!existing) throw new Error(`dossier ${input.dossier.code} vanished during accept`);
        return { created: false, existing } as const;
      }
      return this.created(input, { id: done.id, at: done.at, deliveryId: done.deliveryId });
    }));
  }

  /** A created dossier's resource parts, from what was written. */
  private created(input: AcceptInput, done: { id: number; at: string; deliveryId: number }): AcceptResult {
    const { dossier, entry, delivery } = input;
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
   * the portal, and its audit entry), provided the dossier's status is still
   * `expected` (what the caller decided from). Returns the entry's seq, or
   * undefined when the status moved on meanwhile (a department event
   * applied): nothing was written, decide again from the current status and
   * call again.
   *
   * Deliveries that end while earlier ones are being recorded go together
   * in the next statement (group commit, as accepts do); each is still all or
   * nothing, and a failed batch is recorded again one delivery at a time.
   */
  delivered(code: string, expected: Status, entry: NewTimelineEntry, deliveryId: number): Promise<number | undefined> {
    return this.deliveredOnes.push({ code, expected, entry, deliveryId });
  }

  private readonly deliveredOnes = batches<DeliveredInput, number | undefined>((inputs) => this.deliveredBatch(inputs), (input) => input.code);

  private async deliveredBatch(inputs: DeliveredInput[]): Promise<Array<number | undefined>> {
    const from = 'appended a join input i on i.code = a.code';
    const portal = this.options.portal;
    const rows = inputs.map(({ code, expected, entry, deliveryId }, ord) => ({
      ord, code, expected, status: entry.status, reference: entry.reference ?? null,
      type: entry.type, actor: entry.actor, note: entry.note ?? null, detail: entry.detail ?? null, identity: entry.identity ?? null,
      delivery_id: deliveryId,
      portal: portal !== undefined && isPortalStep({ seq: 2, type: entry.type, status: entry.status }, expected),
      audit_actor: actorFromTimeline(entry.actor), audit_action: `timeline.${entry.type}`, audit_detail: timelineAuditDetail(entry, 0),
    }));
    const steps = [
      `input as (select * from jsonb_to_recordset($1::jsonb) as i(${DELIVERED_ROW}))`,
      `appended as (update dossiers d set event_seq = d.event_seq + 1, status = i.status, updated_at = now(),
         reference = coalesce(i.reference, d.reference)
       from input i where d.code = i.code and d.status = i.expected returning d.code, d.event_seq as seq)`,
      insertStep('entry', 'dossier_events', {
        dossier_code: 'a.code', seq: 'a.seq', type: 'i.type', status: 'i.status', actor: 'i.actor', note: 'i.note', detail: 'i.detail', identity: 'i.identity',
      }, { from }),
      // Every timeline entry is also an audit entry ("timeline.<type>"), in the same statement.
      insertStep('audit', 'audit_log', {
        actor: 'i.audit_actor', action: 'i.audit_action', subject: `'dossier:' || a.code`, detail: `jsonb_set(i.audit_detail, '{seq}', to_jsonb(a.seq))`,
      }, { from: `${from} order by i.ord` }),
      `delivery as (update deliveries dl set state = 'delivered', last_error = null, updated_at = now(), delivered_at = now()
       from ${from} where dl.id = i.delivery_id)`,
      // The entries meant for the portal: their outbox rows.
      ...(portal ? [`for_portal as (select a.code, a.seq from ${from} where i.portal)`, portal.entryStep('portal', 'for_portal')] : []),
    ];
    const done = await this.db.query<{ code: string; seq: number | null }>(
      withSteps(steps, 'select i.code, a.seq from input i left join appended a on a.code = i.code order by i.ord'),
      [JSON.stringify(rows)],
    );
    if (portal && done.some((r, i) => r.seq !== null && rows[i]!.portal)) portal.recorded();
    return inputs.map((input, i) => {
      const row = done[i];
      if (!row || row.code !== input.code) throw new Error(`delivered of ${inputs.length}: row ${i} came back as ${row?.code}`);
      return row.seq ?? undefined;
    });
  }

  /**
   * A delivery's attempt claimed and its dossier read, in one statement:
   * what a delivery job needs before it sends. Undefined when the delivery is
   * not open any more. Deliveries that start while earlier starts are on
   * their way go together in the next statement (group commit).
   */
  startDelivery(id: number): Promise<(DeliveryRow & { dossier: DossierRow }) | undefined> {
    return this.starts.push(id);
  }

  private readonly starts = batches<number, (DeliveryRow & { dossier: DossierRow }) | undefined>((ids) => this.startBatch(ids), String);

  private async startBatch(ids: number[]): Promise<Array<(DeliveryRow & { dossier: DossierRow }) | undefined>> {
    const rows = await this.db.query<DeliveryRow & { dossier: DossierRow }>(START_SQL, [ids]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id));
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
