import type { Alert, AlertCondition, AlertFilter, AlertKind } from '../core/follow-up/alert.js';
import type { AlertBounds, AlertEvaluation, AlertRepository, WebhookEvent } from '../core/follow-up/ports.js';
import { alertConditions } from './alert-conditions.js';
import type { Db, Queryable } from './db.js';

/** Serialises evaluations across processes (pg_advisory_xact_lock). */
const EVALUATION_LOCK = 7_310_420_512;

const ALERT_COLUMNS = `id::text as id, kind, state, dossier_code as "dossierCode", department,
  opened_at as "openedAt", resolved_at as "resolvedAt", detail`;

/** A row as the API shows it: absent optional fields left out. */
function toAlert(row: Alert & { dossierCode?: string | null; department?: string | null; resolvedAt?: string | null }): Alert {
  const { dossierCode, department, resolvedAt, ...rest } = row;
  return { ...rest, ...(dossierCode ? { dossierCode } : {}), ...(department ? { department } : {}), ...(resolvedAt ? { resolvedAt } : {}) };
}

/** Alerts (table `alerts`, migration 005) and their evaluation. */
export class AlertStore implements AlertRepository {
  constructor(private readonly db: Db) {}

  async claimRound(everyMs: number): Promise<boolean> {
    // Claimed a little early (90 %) so that ticks of the same period never skip a round.
    const rows = await this.db.query(
      `update alert_rounds set next_at = now() + ($1::int * interval '1 millisecond'), last_run_at = now()
        where id = 1 and next_at <= now() returning id`,
      [Math.floor(everyMs * 0.9)],
    );
    return rows.length === 1;
  }

  async now(): Promise<string> {
    const [row] = await this.db.query<{ now: string }>('select now() as now');
    if (!row) throw new Error('no time from the database');
    return row.now;
  }

  evaluate<T>(fn: (evaluation: AlertEvaluation) => Promise<T>): Promise<T> {
    return this.db.tx(async (q) => {
      await q.query('select pg_advisory_xact_lock($1)', [EVALUATION_LOCK]);
      return fn(new Evaluation(q));
    });
  }

  async list(filter: AlertFilter): Promise<Alert[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => where.push(sql.replace('?', `$${params.push(value)}`));
    if (filter.state) add('state = ?', filter.state);
    if (filter.kind) add('kind = ?', filter.kind);
    if (filter.department) add('department = ?', filter.department);
    if (filter.cursor) add('id < ?::bigint', filter.cursor);
    const rows = await this.db.query<Alert>(
      `select ${ALERT_COLUMNS} from alerts ${where.length ? `where ${where.join(' and ')}` : ''} order by id desc limit $${params.push(filter.limit)}`,
      params,
    );
    return rows.map(toAlert);
  }

  async openCounts(): Promise<Record<string, number>> {
    const rows = await this.db.query<{ kind: string; n: number }>(`select kind, count(*)::int as n from alerts where state = 'open' group by kind`);
    return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
  }
}

class Evaluation implements AlertEvaluation {
  constructor(private readonly q: Queryable) {}

  storeConditions(bounds: AlertBounds): Promise<AlertCondition[]> {
    return alertConditions(this.q, bounds);
  }

  async freshObservation(observedAt: string): Promise<boolean> {
    const rows = await this.q.query(
      `update alert_rounds set observed_at = $1 where id = 1 and (observed_at is null or observed_at <= $1) returning id`,
      [observedAt],
    );
    return rows.length === 1;
  }

  async reconcile(conditions: AlertCondition[], kinds: readonly AlertKind[]): Promise<{ opened: Alert[]; resolved: Alert[] }> {
    const set = JSON.stringify(
      conditions.map((c) => ({ kind: c.kind, subject: c.subject, dossier_code: c.dossierCode ?? null, department: c.department ?? null, detail: c.detail })),
    );
    const resolved = await this.q.query<Alert>(
      `update alerts a set state = 'resolved', resolved_at = now()
        where a.state = 'open' and a.kind = any($2::text[])
          and not exists (select 1 from jsonb_to_recordset($1::jsonb) c(kind text, subject text) where c.kind = a.kind and c.subject = a.subject)
        returning ${ALERT_COLUMNS}`,
      [set, kinds],
    );
    const opened = await this.q.query<Alert>(
      `insert into alerts (kind, subject, dossier_code, department, detail)
       select c.kind, c.subject, c.dossier_code, c.department, coalesce(c.detail, '{}')
         from jsonb_to_recordset($1::jsonb) c(kind text, subject text, dossier_code text, department text, detail jsonb)
       on conflict (kind, subject) where state = 'open' do nothing
       returning ${ALERT_COLUMNS}`,
      [set],
    );
    return { opened: opened.map(toAlert), resolved: resolved.map(toAlert) };
  }

  async queueWebhooks(calls: Array<{ alertId: string; event: WebhookEvent; body: string }>): Promise<void> {
    if (calls.length === 0) return;
    await this.q.query(
      `insert into alert_webhooks (alert_id, event, body)
       select c.alert_id::bigint, c.event, c.body from jsonb_to_recordset($1::jsonb) c(alert_id text, event text, body text, ord int)
       order by c.ord`,
      [JSON.stringify(calls.map((c, ord) => ({ alert_id: c.alertId, event: c.event, body: c.body, ord })))],
    );
  }
}
