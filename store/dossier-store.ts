import type { Dossier } from '../core/model/dossier.js';
import type { DossierResult } from '../core/model/event.js';
import type { Status } from '../core/model/status.js';
import type { DossierRepository, DossierRow, DossierFilter, DossierView, NewDelivery, TimelineEntry, NewTimelineEntry } from '../core/ports/index.js';
import type { Db, Queryable } from './db.js';
import type { PortalRecorder } from './portal-store.js';

const DOSSIER_COLUMNS = `code, department_id as "departmentId", procedure_code as "procedureCode", status,
  content, content_hash as "contentHash", reference, results, created_at as "createdAt", updated_at as "updatedAt", id`;

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
   * pending `submit` delivery, in one transaction (the outbox). When the code
   * exists already, nothing is written and the stored row is returned.
   */
  async accept(input: {
    dossier: Dossier;
    departmentId: string;
    status: Status;
    contentHash: string;
    entry: NewTimelineEntry;
    delivery: Omit<NewDelivery, 'dossierCode'>;
  }): Promise<{ created: true; deliveryId: number } | { created: false; existing: DossierRow }> {
    const { dossier } = input;
    return this.db.tx(async (q) => {
      const inserted = await q.query(
        `insert into dossiers (code, department_id, procedure_code, status, content, content_hash)
         values ($1, $2, $3, $4, $5, $6) on conflict (code) do nothing returning code`,
        [dossier.code, input.departmentId, dossier.procedure.code, input.status, JSON.stringify(dossier), input.contentHash],
      );
      if (inserted.length === 0) {
        const existing = await this.get(dossier.code, q);
        if (!existing) throw new Error(`dossier ${dossier.code} vanished during accept`);
        return { created: false as const, existing };
      }
      await this.append(q, dossier.code, input.entry);
      const deliveryId = await this.addDelivery(q, { ...input.delivery, dossierCode: dossier.code });
      return { created: true as const, deliveryId };
    });
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
   * status). Must run inside a transaction that locked the dossier or created it.
   */
  async append(q: Queryable, code: string, entry: NewTimelineEntry): Promise<number> {
    const [row] = await q.query<{ seq: number }>(
      `update dossiers set event_seq = event_seq + 1, status = $2, updated_at = now(),
         reference = coalesce($3, reference),
         results = case when $4::jsonb is null then results else results || $4::jsonb end
       where code = $1 returning event_seq as seq`,
      [code, entry.status, entry.reference ?? null, entry.results ? JSON.stringify(entry.results) : null],
    );
    if (!row) throw new Error(`dossier ${code} does not exist`);
    await q.query(
      `insert into dossier_events (dossier_code, seq, type, status, actor, note, detail, identity)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [code, row.seq, entry.type, entry.status, entry.actor, entry.note ?? null, entry.detail ? JSON.stringify(entry.detail) : null, entry.identity ?? null],
    );
    await this.options.portal?.record(q, code, row.seq, entry);
    return row.seq;
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
