import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { webhookSender } from '../../adapters/webhook/index.js';
import { WebhookDispatcher } from '../../core/follow-up/webhook-dispatch.js';
import { silentLogger } from '../../core/logger.js';
import type { Db } from '../../store/db.js';
import { migrate } from '../../store/migrate.js';
import { WebhookOutboxStore } from '../../store/webhook-outbox-store.js';
import { openTestDb } from '../helpers/db.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

const SECRET = 'webhook-secret-for-tests-000';

describe('alert webhook outbox (PostgreSQL, real node:http receiver)', () => {
  let db: Db;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await openTestDb('postgres'));
    await migrate(db);
  }, 120_000);
  beforeEach(() => db.exec('delete from alert_webhooks; delete from alerts'));
  afterAll(() => drop());

  async function queue(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const [alert] = await db.query<{ id: string }>(`insert into alerts (kind, subject) values ('overdue', $1) returning id::text as id`, [`D-${i}`]);
      const body = JSON.stringify({ event: 'alert.opened', alert: { id: alert!.id, kind: 'overdue', state: 'open' } });
      await db.query(`insert into alert_webhooks (alert_id, event, body) values ($1::bigint, 'opened', $2)`, [alert!.id, body]);
    }
  }
  const states = async () => db.query<{ state: string; attempts: number; last_error: string | null }>(`select state, attempts, last_error from alert_webhooks order by id`);
  const dispatcher = (url: string, attempts = 3, backoffMs = 1) =>
    new WebhookDispatcher(new WebhookOutboxStore(db), webhookSender(url, 2000), { secret: SECRET, backoffMs, maxBackoffMs: backoffMs, attempts, timeoutMs: 2000 }, silentLogger);

  it('sends each call once when accepted, signed; a second pass sends nothing', async () => {
    const receiver = await startWebhookReceiver(SECRET);
    try {
      await queue(3);
      expect(await dispatcher(receiver.url).dispatch()).toBe(3);
      expect(await dispatcher(receiver.url).dispatch()).toBe(0);
      expect(receiver.hits).toHaveLength(3);
      expect(receiver.hits.every((h) => h.signatureValid && h.status === 204)).toBe(true);
      expect((await states()).map((s) => s.state)).toEqual(['sent', 'sent', 'sent']);
    } finally {
      await receiver.close();
    }
  });

  it('gives up a call the receiver refuses for good (400, wrong secret) and retries a busy one up to the attempts', async () => {
    const refusing = await startWebhookReceiver('another-secret-entirely-0');
    const busy = await startWebhookReceiver(SECRET, () => 503);
    try {
      await queue(1);
      await dispatcher(refusing.url).dispatch(); // the signature does not verify there: 401, permanent
      expect(await states()).toEqual([{ state: 'failed', attempts: 1, last_error: expect.stringContaining('HTTP 401') }]);
      await db.query(`update alert_webhooks set state = 'pending', attempts = 0`);
      const d = dispatcher(busy.url, 3);
      for (let i = 0; i < 5 && (await states())[0]!.state === 'pending'; i++) {
        await d.dispatch();
        await new Promise((r) => setTimeout(r, 5)); // past the 1 ms backoff
      }
      expect(await states()).toEqual([{ state: 'failed', attempts: 3, last_error: expect.stringContaining('HTTP 503') }]);
      expect(busy.hits).toHaveLength(3);
    } finally {
      await refusing.close();
      await busy.close();
    }
  });

  it('waits for the opened call before sending the resolved one of the same alert', async () => {
    const receiver = await startWebhookReceiver(SECRET, (hit) => (hit.json.event === 'alert.opened' && receiver.hits.length === 0 ? 503 : 204));
    try {
      const [alert] = await db.query<{ id: string }>(`insert into alerts (kind, subject) values ('due_soon', 'X') returning id::text as id`);
      for (const event of ['opened', 'resolved']) {
        await db.query(`insert into alert_webhooks (alert_id, event, body) values ($1::bigint, $2, $3)`, [alert!.id, event, JSON.stringify({ event: `alert.${event}`, alert: { id: alert!.id } })]);
      }
      const d = dispatcher(receiver.url, 3, 300);
      await d.dispatch(); // opened refused once; resolved must not go before it
      expect(receiver.hits.map((h) => h.json.event)).toEqual(['alert.opened']);
      await new Promise((r) => setTimeout(r, 320)); // past its backoff
      await d.dispatch();
      expect(receiver.accepted().map((h) => h.json.event)).toEqual(['alert.opened', 'alert.resolved']);
    } finally {
      await receiver.close();
    }
  });
});
