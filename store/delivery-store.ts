import type { DeliveryListItem, DeliveryRepository, DeliveryRow, FailedFilter, StaleCursor, Transaction } from '../core/ports/index.js';
import type { Db, Queryable } from './db.js';
import { sql } from './transactions.js';

export const DELIVERY_COLUMNS = `id, dossier_code as "dossierCode", department_id as "departmentId", operation, state,
  config_version as "configVersion", idempotency_key as "idempotencyKey", payload, attempts,
  last_error as "lastError", created_at as "createdAt", updated_at as "updatedAt", delivered_at as "deliveredAt"`;

/** The outbox: operations to send to departments, with their attempts and outcome. */
export class DeliveryStore implements DeliveryRepository {
  constructor(private readonly db: Db) {}

  async get(id: number, q: Queryable = this.db): Promise<DeliveryRow | undefined> {
    const [row] = await q.query<DeliveryRow>(`select ${DELIVERY_COLUMNS} from deliveries where id = $1`, [id]);
    return row;
  }

  async lock(q: Queryable, id: number): Promise<DeliveryRow | undefined> {
    const [row] = await q.query<DeliveryRow>(`select ${DELIVERY_COLUMNS} from deliveries where id = $1 for update`, [id]);
    return row;
  }

  async ofDossier(code: string, q: Queryable = this.db): Promise<DeliveryRow[]> {
    return q.query<DeliveryRow>(`select ${DELIVERY_COLUMNS} from deliveries where dossier_code = $1 order by id`, [code]);
  }

  async latestOf(codes: string[], q: Queryable = this.db): Promise<Map<string, DeliveryRow>> {
    if (codes.length === 0) return new Map();
    const rows = await q.query<DeliveryRow>(
      `select distinct on (dossier_code) ${DELIVERY_COLUMNS} from deliveries
        where dossier_code = any($1::text[]) order by dossier_code, id desc`,
      [codes],
    );
    return new Map(rows.map((r) => [r.dossierCode, r]));
  }

  async setState(q: Queryable, id: number, state: DeliveryRow['state'], lastError?: string | null): Promise<void> {
    await q.query(
      `update deliveries set state = $2, updated_at = now(),
         last_error = case when $2 = 'delivered' then null when $3::text is null then last_error else $3 end,
         delivered_at = case when $2 = 'delivered' then now() else delivered_at end
       where id = $1`,
      [id, state, lastError ?? null],
    );
  }

  /** Back to `pending` for another try, with a fresh attempt budget, under `configVersion`. */
  async requeue(q: Queryable, id: number, configVersion: number): Promise<void> {
    await q.query(
      `update deliveries set state = 'pending', attempts = 0, config_version = $2, updated_at = now() where id = $1`,
      [id, configVersion],
    );
  }

  /** Open (not yet settled) deliveries of a dossier, oldest first. */
  async openOf(q: Queryable, code: string): Promise<DeliveryRow[]> {
    return q.query<DeliveryRow>(
      `select ${DELIVERY_COLUMNS} from deliveries where dossier_code = $1 and state in ('pending', 'delivering', 'failed') order by id`,
      [code],
    );
  }

  /** The database's "now − olderThanMs": one cutoff for a whole sweep, on the database's clock. */
  async cutoff(olderThanMs: number): Promise<string> {
    const [row] = await this.db.query<{ at: string }>(`select now() - ($1::int * interval '1 millisecond') as at`, [olderThanMs]);
    if (!row) throw new Error('no time from the database');
    return row.at;
  }

  /**
   * Deliveries that should be in a queue and may not be: open ones not
   * touched since `before`, oldest first, a page after `after`. The sweeper
   * queues those whose job is not in Redis and touches only those.
   */
  async stale(before: string, limit: number, skip: string[] = [], after?: StaleCursor): Promise<Array<Pick<DeliveryRow, 'id' | 'departmentId'> & StaleCursor>> {
    return this.db.query(
      `select id, department_id as "departmentId", updated_at::text as at from deliveries
        where state in ('pending', 'delivering') and updated_at < $1 and not (department_id = any($3::text[]))
          and ($4::timestamptz is null or (updated_at, id) > ($4::timestamptz, $5::int))
        order by updated_at, id limit $2`,
      [before, limit, skip, after?.at ?? null, after?.id ?? 0],
    );
  }

  /** Mark re-queued rows as touched: the sweeps of the next SWEEP_STALE_MS pass them over. */
  async touch(ids: number[]): Promise<void> {
    if (ids.length) await this.db.query('update deliveries set updated_at = now() where id = any($1::int[])', [ids]);
  }

  async count(state: DeliveryRow['state']): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('select count(*)::int as n from deliveries where state = $1', [state]);
    return row?.n ?? 0;
  }

  /** Newest first; `cursor` is the id of the last row of the previous page. */
  async list(filter: { state: DeliveryRow['state']; department?: string; operation?: string; limit: number; cursor?: number }): Promise<DeliveryListItem[]> {
    const params: unknown[] = [filter.state];
    const where = ['state = $1'];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.department) add('department_id = ?', filter.department);
    if (filter.operation) add('operation = ?', filter.operation);
    if (filter.cursor !== undefined) add('id < ?', filter.cursor);
    params.push(filter.limit);
    return this.db.query<DeliveryListItem>(
      `select id, dossier_code as "dossierCode", department_id as department, operation, state, attempts,
              last_error as "lastError", updated_at as "updatedAt"
         from deliveries where ${where.join(' and ')} order by id desc limit $${params.length}`,
      params,
    );
  }

  /** Ids of failed deliveries matching `filter`, after id `afterId`, ascending: one batch of a bulk retry. */
  async failedIds(filter: FailedFilter, afterId: number, limit: number): Promise<number[]> {
    const params: unknown[] = [afterId];
    const where = [`state = 'failed'`, 'id > $1'];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (filter.department) add('department_id = ?', filter.department);
    if (filter.operation) add('operation = ?', filter.operation);
    if (filter.failedAfter) add('updated_at >= ?::timestamptz', filter.failedAfter);
    if (filter.failedBefore) add('updated_at < ?::timestamptz', filter.failedBefore);
    if (filter.errorContains) add(`last_error ilike '%' || ? || '%' escape '\\'`, filter.errorContains.replace(/[\\%_]/g, (c) => `\\${c}`));
    params.push(limit);
    const rows = await this.db.query<{ id: number }>(`select id from deliveries where ${where.join(' and ')} order by id limit $${params.length}`, params);
    return rows.map((r) => r.id);
  }

  /** How many failed deliveries match (a dry run). */
  async countFailed(filter: FailedFilter): Promise<number> {
    let n = 0;
    for (let after = 0, ids = await this.failedIds(filter, 0, 5000); ids.length; ids = await this.failedIds(filter, after, 5000)) {
      n += ids.length;
      after = ids.at(-1)!;
    }
    return n;
  }

  /** Lock the dossiers of these deliveries in code order (dossier before delivery, as every writer) and return their statuses. */
  async lockDossiersOf(tx: Transaction, ids: number[]): Promise<Map<string, string>> {
    const rows = await sql(tx).query<{ code: string; status: string }>(
      `select code, status from dossiers where code in (select dossier_code from deliveries where id = any($1::int[])) order by code for update`,
      [ids],
    );
    return new Map(rows.map((r) => [r.code, r.status]));
  }

  /**
   * Back to pending with a fresh budget under each department's current
   * version, those of `ids` still failed (another retry may have taken some):
   * returns what was requeued. Inside the caller's transaction.
   */
  async requeueFailed(q: Queryable, ids: number[]): Promise<Array<Pick<DeliveryRow, 'id' | 'dossierCode' | 'departmentId' | 'operation' | 'lastError' | 'configVersion'>>> {
    return q.query(
      `update deliveries d set state = 'pending', attempts = 0, updated_at = now(),
         config_version = coalesce((select version from departments where id = d.department_id), d.config_version)
       where d.id = any($1::int[]) and d.state = 'failed'
       returning d.id, d.dossier_code as "dossierCode", d.department_id as "departmentId", d.operation,
         d.last_error as "lastError", d.config_version as "configVersion"`,
      [ids],
    );
  }
}
