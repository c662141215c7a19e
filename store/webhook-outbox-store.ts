import type { WebhookCall, WebhookOutbox } from '../core/follow-up/ports.js';
import type { Db } from './db.js';

/** The alert webhook outbox (table `alert_webhooks`, migration 005). Each method is one statement. */
export class WebhookOutboxStore implements WebhookOutbox {
  constructor(private readonly db: Db) {}

  claim(limit: number, leaseMs: number): Promise<WebhookCall[]> {
    return this.db.query<WebhookCall>(
      `update alert_webhooks w set attempts = w.attempts + 1, lease_until = now() + ($2::int * interval '1 millisecond')
        where w.id in (
          select c.id from alert_webhooks c
           where c.state = 'pending' and c.next_at <= now() and (c.lease_until is null or c.lease_until < now())
             and not exists (select 1 from alert_webhooks e where e.alert_id = c.alert_id and e.id < c.id and e.state = 'pending')
           order by c.id limit $1 for update skip locked)
        returning w.id::text as id, w.alert_id::text as "alertId", w.event, w.body, w.attempts`,
      [limit, leaseMs],
    );
  }

  async sent(id: string): Promise<void> {
    await this.db.query(`update alert_webhooks set state = 'sent', sent_at = now(), lease_until = null where id = $1::bigint`, [id]);
  }

  async retry(id: string, delayMs: number, error: string): Promise<void> {
    await this.db.query(
      `update alert_webhooks set next_at = now() + ($2::int * interval '1 millisecond'), lease_until = null, last_error = $3
        where id = $1::bigint and state = 'pending'`,
      [id, Math.round(delayMs), error.slice(0, 500)],
    );
  }

  async failed(id: string, error: string): Promise<void> {
    await this.db.query(`update alert_webhooks set state = 'failed', lease_until = null, last_error = $2 where id = $1::bigint`, [id, error.slice(0, 500)]);
  }

  async counts(): Promise<Record<string, number>> {
    const rows = await this.db.query<{ state: string; n: number }>(`select state, count(*)::int as n from alert_webhooks group by state`);
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }
}
