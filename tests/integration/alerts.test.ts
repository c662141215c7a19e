import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vnDate } from '../../core/follow-up/report-period.js';
import { startDepartmentServer, type DepartmentServer } from '../helpers/department-server.js';
import { fixture, withCode } from '../helpers/fixtures.js';
import { seedDossiers } from '../helpers/follow-up-data.js';
import { eventually, restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

const SECRET = 'alert-webhook-secret-0123456789';
const A = '000.00.15.H63'; // seeded dossiers (overdue, due_soon, portal_rejected)
const F = '000.00.17.H63'; // refuses submit with 400: delivery_failed
const S = '000.00.18.H63'; // answers submit 503 for a while: delivery_stuck
const D = '000.00.19.H63'; // its check fails: department_down

const day = (offset: number) => {
  const d = new Date(Date.now() + offset * 86_400_000);
  return vnDate(d);
};

describe('alerts (PostgreSQL, Redis, real department servers and webhook receiver)', () => {
  let rt: TestRuntime;
  let servers: Record<'A' | 'F' | 'S' | 'D', DepartmentServer>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const modes = { F: 400, S: 503, D: 503 };
  const open = async (query = '') => (await rt.api('GET', `/v1/alerts?state=open${query}`)).body.items as any[];

  beforeAll(async () => {
    // The first call of each alert is refused once (503): lienthong must retry it.
    const refusedOnce = new Set<string>();
    receiver = await startWebhookReceiver(SECRET, (hit) => {
      const key = `${hit.json.alert.id} ${hit.json.event}`;
      if (refusedOnce.has(key)) return 204;
      refusedOnce.add(key);
      return 503;
    });
    const ok = { status: 200, body: {} };
    servers = {
      A: await startDepartmentServer(() => ok),
      F: await startDepartmentServer((r) => (r.method === 'POST' && modes.F !== 201 ? { status: modes.F, body: { loi: 'CCCD 015190001234, SĐT 0912345678 không hợp lệ' } } : r.method === 'POST' ? { status: 201, body: { id: 'F-1' } } : ok)),
      S: await startDepartmentServer((r) => (r.method === 'POST' ? (modes.S === 201 ? { status: 201, body: { id: 'S-1' } } : { status: 503 }) : ok)),
      D: await startDepartmentServer((r) => (r.method === 'HEAD' || r.method === 'GET' ? { status: modes.D } : ok)),
    };
    rt = await startTestRuntime({
      store: 'postgres',
      env: {
        ALERT_EVERY_MS: '86400000', // the test evaluates by hand
        STUCK_AFTER_MS: '1000',
        ALERT_WEBHOOK_URL: receiver.url,
        ALERT_WEBHOOK_SECRET: SECRET,
        ALERT_WEBHOOK_POLL_MS: '50',
        ALERT_WEBHOOK_BACKOFF_MS: '50',
        DELIVERY_ATTEMPTS: '30',
      },
    });
    for (const [id, name, server, procedure] of [[A, 'A', servers.A, '1.000010'], [F, 'F', servers.F, '1.000011'], [S, 'S', servers.S, '1.000012'], [D, 'D', servers.D, '1.000013']] as const) {
      // S answers 503 to every submit: its breaker is set so high that its circuit stays closed, and its dossier is only `delivery_stuck`
      // (an open circuit would rightly add a `department_down`: core/follow-up/department-down.test.ts covers that source).
      const extra = id === S ? { name: `Sở ${name}`, delivery: { breaker: { failures: 1000, probeMs: 30000 } } } : { name: `Sở ${name}` };
      const res = await rt.api('PUT', `/v1/departments/${id}`, restDepartment(server.url, [procedure], extra));
      expect(res.status).toBe(201);
    }
    await rt.runtime.refreshDepartments();
  });

  afterAll(async () => {
    await rt?.stop();
    await Promise.all(Object.values(servers ?? {}).map((s) => s.close()));
    await receiver?.close();
  });

  it('opens each of the six kinds once, keeps it while it holds, resolves it when it clears, and calls the webhook for each change', async () => {
    const db = rt.runtime.db;
    await seedDossiers(db, [
      { code: 'OVERDUE-1', department: A, procedure: '1.000010', status: 'processing', receivedAt: `${day(-10)}T08:00:00+07:00`, dueAt: `${day(-1)}T17:00:00+07:00`, reference: 'R-OVERDUE' },
      { code: 'SOON-1', department: A, procedure: '1.000010', status: 'processing', receivedAt: `${day(-3)}T08:00:00+07:00`, dueAt: `${day(0)}T23:00:00+07:00`, reference: 'R-SOON' },
      { code: 'LATER-1', department: A, procedure: '1.000010', status: 'processing', receivedAt: `${day(-3)}T08:00:00+07:00`, dueAt: `${day(10)}T17:00:00+07:00`, reference: 'R-LATER' },
      { code: 'PORTAL-1', department: A, procedure: '1.000010', status: 'processing', receivedAt: `${day(-3)}T08:00:00+07:00`, portal: { state: 'rejected', known: false, message: 'Số CCCD 015190001234 sai định dạng' } },
    ]);
    // Due in 30 days whatever the day of the run: the sample's own due date would make them due_soon, then overdue.
    const later = `${day(30)}T17:00:00+07:00`;
    const failed = { ...withCode(fixture('business-registration'), 101), department: F, dueAt: later };
    const stuck = { ...withCode(fixture('business-registration'), 102), department: S, dueAt: later };
    expect((await rt.api('POST', '/v1/dossiers', failed)).status).toBe(202);
    expect((await rt.api('POST', '/v1/dossiers', stuck)).status).toBe(202);
    await eventually(async () => (await rt.api('GET', `/v1/dossiers/${failed.code}`)).body.delivery?.state === 'failed');
    await eventually(async () => (await rt.api('GET', `/v1/dossiers/${stuck.code}`)).body.createdAt && Date.now() - Date.parse((await rt.api('GET', `/v1/dossiers/${stuck.code}`)).body.createdAt) > 1200, 5000);

    const first = await rt.runtime.services.alerts.evaluate();
    expect(first.opened).toBe(6);
    const alerts = await open();
    const byKind = Object.fromEntries(alerts.map((a) => [a.kind, a]));
    expect(Object.keys(byKind).sort()).toEqual(['delivery_failed', 'delivery_stuck', 'department_down', 'due_soon', 'overdue', 'portal_rejected']);
    expect(byKind.overdue).toMatchObject({ state: 'open', dossierCode: 'OVERDUE-1', department: A, detail: { procedure: '1.000010', status: 'processing' } });
    expect(byKind.due_soon).toMatchObject({ dossierCode: 'SOON-1', department: A });
    expect(byKind.delivery_failed).toMatchObject({ dossierCode: failed.code, department: F, detail: { operation: 'submit', state: 'failed' } });
    expect(byKind.delivery_stuck).toMatchObject({ dossierCode: stuck.code, department: S, detail: { operation: 'submit' } });
    expect(byKind.department_down).toMatchObject({ department: D, detail: { source: 'check' } });
    expect(byKind.department_down.dossierCode).toBeUndefined();
    expect(byKind.portal_rejected).toMatchObject({ dossierCode: 'PORTAL-1', department: A });
    // No personal data in any alert: the department's and the portal's texts are scrubbed.
    const text = JSON.stringify(alerts);
    for (const personal of ['015190001234', '0912345678', 'Nguyễn Thị Lan', 'lan.nguyen@example.vn']) expect(text).not.toContain(personal);
    expect(String(byKind.delivery_failed.detail.lastError)).toContain('***');

    // Still holding: nothing new, nothing resolved.
    expect(await rt.runtime.services.alerts.evaluate()).toEqual({ opened: 0, resolved: 0 });

    // Filters, and a department key sees its own department's alerts only.
    expect((await open('&kind=overdue')).map((a) => a.dossierCode)).toEqual(['OVERDUE-1']);
    expect((await open(`&department=${A}`)).map((a) => a.kind).sort()).toEqual(['due_soon', 'overdue', 'portal_rejected']);
    const keyF = await rt.key('department', 'so-f', F);
    const seenByF = (await rt.api('GET', '/v1/alerts', undefined, keyF)).body.items as any[];
    expect(seenByF.map((a) => a.kind)).toEqual(['delivery_failed']);
    expect((await rt.api('GET', `/v1/alerts?department=${A}`, undefined, keyF)).body.items).toEqual([]);
    expect((await rt.api('GET', '/v1/alerts?kind=late')).status).toBe(422);
    const portalKey = await rt.key('portal', 'dvcqg');
    expect((await rt.api('GET', '/v1/alerts', undefined, portalKey)).status).toBe(403);

    // Every condition clears, each by its real path where there is one.
    const event = (reference: string, state: string) => rt.api('POST', `/v1/departments/${A}/events`, { applicationId: reference, state, at: new Date().toISOString() });
    expect((await event('R-OVERDUE', 'DA_XU_LY')).body).toMatchObject({ status: 'resolved', applied: true });
    expect((await event('R-SOON', 'YEU_CAU_BO_SUNG')).body).toMatchObject({ status: 'supplement_requested', applied: true }); // paused: not due soon
    await db.query(`update portal_sync set state = 'synced', known = true where dossier_code = 'PORTAL-1'`); // the operator's resend went through
    modes.D = 200;
    modes.S = 201;
    modes.F = 201;
    expect((await rt.api('POST', `/v1/dossiers/${failed.code}/retry`)).status).toBe(202);
    await eventually(async () => (await rt.api('GET', `/v1/dossiers/${failed.code}`)).body.delivery?.state === 'delivered');
    await eventually(async () => (await rt.api('GET', `/v1/dossiers/${stuck.code}`)).body.delivery?.state === 'delivered', 15_000);

    const second = await rt.runtime.services.alerts.evaluate();
    expect(second).toEqual({ opened: 0, resolved: 6 });
    expect(await open()).toEqual([]);
    const resolved = (await rt.api('GET', '/v1/alerts?state=resolved')).body.items as any[];
    expect(resolved).toHaveLength(6);
    for (const a of resolved) expect(Date.parse(a.resolvedAt)).toBeGreaterThanOrEqual(Date.parse(a.openedAt));

    // The webhook: 12 calls accepted (6 opened, 6 resolved), each once, signed, after one refused attempt each.
    await eventually(async () => receiver.accepted().length === 12 && (await db.query(`select 1 from alert_webhooks where state <> 'sent'`)).length === 0, 15_000);
    const accepted = receiver.accepted();
    expect(accepted.every((h) => h.signatureValid)).toBe(true);
    expect(new Set(accepted.map((h) => `${h.json.alert.id} ${h.json.event}`)).size).toBe(12);
    expect(accepted.filter((h) => h.json.event === 'alert.opened').map((h) => h.json.alert.kind).sort()).toEqual(
      ['delivery_failed', 'delivery_stuck', 'department_down', 'due_soon', 'overdue', 'portal_rejected'],
    );
    expect(receiver.hits.filter((h) => h.status === 503)).toHaveLength(12);
    // opened before resolved for each alert
    for (const a of resolved) {
      const order = receiver.accepted().filter((h) => h.json.alert.id === a.id).map((h) => h.json.event);
      expect(order).toEqual(['alert.opened', 'alert.resolved']);
    }
    const rows = await db.query<{ attempts: number }>(`select attempts from alert_webhooks`);
    expect(rows.every((r) => r.attempts === 2)).toBe(true);
  });
});

describe('alert evaluation in two processes at once', () => {
  it('opens and resolves each alert once, and each webhook call is accepted once', async () => {
    const { createTestDatabase, startServerProcess } = await import('../helpers/server-process.js');
    const { openPostgres } = await import('../../store/db.js');
    const { ADMIN_KEY, dropQueues } = await import('../helpers/runtime.js');
    const database = await createTestDatabase();
    // Every third call refused (503): retries from either process must not duplicate an accepted call.
    const receiver = await startWebhookReceiver(SECRET, (_hit, n) => (n % 3 === 0 ? 503 : 204));
    const down = { on: true };
    const dept = await startDepartmentServer((r) => (r.method === 'HEAD' || r.method === 'GET' ? { status: down.on ? 503 : 200 } : { status: 200, body: {} }));
    const prefix = `alerts${Date.now().toString(36)}`;
    const env = {
      DATABASE_URL: database.url,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'warn',
      ALERT_EVERY_MS: '100',
      ALERT_WEBHOOK_URL: receiver.url,
      ALERT_WEBHOOK_SECRET: SECRET,
      ALERT_WEBHOOK_POLL_MS: '20',
      ALERT_WEBHOOK_BACKOFF_MS: '20',
    };
    const processes: Array<Awaited<ReturnType<typeof startServerProcess>>> = [];
    const db = openPostgres(database.url, { max: 2 });
    try {
      processes.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])));
      const [one] = processes;
      const put = await fetch(`${one!.base}/v1/departments/${A}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(restDepartment(dept.url, ['1.000010'])),
      });
      expect(put.status).toBe(201);
      const overdue = Array.from({ length: 20 }, (_, i) => ({
        code: `CLUSTER-${i}`, department: A, procedure: '1.000010', status: 'processing',
        receivedAt: `${day(-10)}T08:00:00+07:00`, dueAt: `${day(-2)}T17:00:00+07:00`,
      }));
      await seedDossiers(db, [...overdue, { ...overdue[0]!, code: 'CLUSTER-PORTAL', dueAt: null, portal: { state: 'rejected', known: false } }]);
      const count = async (sql: string) => ((await db.query<{ n: number }>(sql))[0]?.n ?? 0);
      // Meanwhile two more evaluators on pools of their own evaluate at the very same time, without waiting for a round.
      const { AlertService } = await import('../../core/follow-up/alerts.js');
      const { AlertStore } = await import('../../store/alert-store.js');
      const { checkFailures } = await import('../../core/follow-up/department-down.js');
      const { nextWeekday } = await import('../../core/follow-up/weekdays.js');
      const { silentLogger } = await import('../../core/logger.js');
      const extraDbs = [openPostgres(database.url, { max: 2 }), openPostgres(database.url, { max: 2 })];
      const checkDept = checkFailures({
        enabledIds: async () => [A],
        check: async () => {
          const res = await fetch(dept.url, { method: 'HEAD' });
          return { ok: res.status < 500, latencyMs: 0, detail: `HTTP ${res.status}` };
        },
      });
      const evaluators = extraDbs.map(
        (x) => new AlertService(new AlertStore(x), checkDept, nextWeekday, { everyMs: 100, stuckAfterMs: 1_800_000, webhook: true }, silentLogger),
      );
      const hammer = () => Promise.all(Array.from({ length: 5 }, () => evaluators.map((e) => e.evaluate())).flat());
      await hammer();
      // 20 overdue + 1 portal_rejected + 1 department_down, opened by whichever process wins each round.
      await eventually(async () => (await count(`select count(*)::int as n from alerts where state = 'open'`)) === 22, 20_000);

      await db.query(`update dossiers set status = 'resolved', done_at = now() where code like 'CLUSTER-%' and code <> 'CLUSTER-PORTAL'`);
      await db.query(`update portal_sync set state = 'synced', known = true`);
      down.on = false;
      await hammer();
      await Promise.all(extraDbs.map((x) => x.close()));
      await eventually(async () => (await count(`select count(*)::int as n from alerts where state = 'resolved'`)) === 22, 20_000);
      await eventually(async () => (await count(`select count(*)::int as n from alert_webhooks where state = 'sent'`)) === 44, 20_000);

      // One alert per condition: never opened twice, never reopened.
      expect(await count(`select count(*)::int as n from alerts`)).toBe(22);
      expect(await count(`select count(*)::int as n from alert_webhooks`)).toBe(44);
      const accepted = receiver.accepted();
      expect(accepted).toHaveLength(44);
      expect(accepted.every((h) => h.signatureValid)).toBe(true);
      expect(new Set(accepted.map((h) => `${h.json.alert.id} ${h.json.event}`)).size).toBe(44);
      expect(new Set(accepted.map((h) => h.delivery)).size).toBe(44);
      expect(receiver.hits.some((h) => h.status === 503)).toBe(true);
      for (const p of processes) expect(p.child.exitCode).toBeNull();
    } finally {
      await Promise.all(processes.map((p) => p.stop()));
      await db.close();
      await receiver.close();
      await dept.close();
      await dropQueues(prefix);
      await database.drop();
    }
  }, 90_000);
});
