import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { deliveryJobId, deliveryQueueName } from '../../queue/names.js';
import { Runtime } from '../../runtime/runtime.js';
import { startDepartmentServer, type DepartmentServer } from '../helpers/department-server.js';
import { fixture, withCode } from '../helpers/fixtures.js';
import { ADMIN_KEY, eventually, REDIS_URL, restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

/** The circuit breaker per department on real Redis and PostgreSQL, against a real department server that goes down and comes back. */
describe('circuit breaker and pause (postgres)', () => {
  const DEPT = '000.00.15.H63';
  const OTHER = '000.00.16.H63';
  let t: TestRuntime;
  let department: DepartmentServer;
  let other: DepartmentServer;
  let runtime: Runtime;
  let base: string;
  let center: string;
  let portalKey: string;
  let redis: Redis;
  let queue: Queue;
  const dossier = fixture('business-registration');
  const otherDossier = fixture('land-certificate');
  let seq = 900;
  const reply = (r: { body: unknown }) => ({ status: 201, body: { id: `DN-${(r.body as { maHoSo?: string } | undefined)?.maHoSo ?? 'x'}` } });

  beforeAll(async () => {
    department = await startDepartmentServer(reply);
    other = await startDepartmentServer(reply);
    t = await startTestRuntime({ store: 'postgres', env: { DELIVERY_ATTEMPTS: '3' } });
    runtime = t.runtime;
    base = t.base;
    const breaker = { failures: 3, probeMs: 300 };
    expect((await t.api('PUT', `/v1/departments/${DEPT}`, restDepartment(department.url, [dossier.procedure.code], { delivery: { breaker } }))).status).toBe(201);
    expect((await t.api('PUT', `/v1/departments/${OTHER}`, restDepartment(other.url, [otherDossier.procedure.code]))).status).toBe(201);
    await runtime.refreshDepartments();
    center = await t.key('center', 'quay-1');
    portalKey = await t.key('portal', 'p');
    redis = new Redis(REDIS_URL);
    queue = new Queue(deliveryQueueName(DEPT), { connection: redis, prefix: t.prefix });
  });
  afterAll(async () => {
    await queue?.close();
    redis?.disconnect();
    if (runtime !== t?.runtime) await runtime?.stop();
    await t?.stop();
    await department?.close();
    await other?.close();
  });

  const api = async (method: string, path: string, body?: unknown, key = ADMIN_KEY) => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const submit = async (d = dossier) => {
    const x = withCode(d, ++seq);
    expect((await api('POST', '/v1/dossiers', x, center)).status).toBe(202);
    return x.code;
  };
  const get = async (code: string) => (await api('GET', `/v1/dossiers/${code}`)).body;
  const health = async () => (await api('GET', `/v1/departments/${DEPT}`)).body.health;
  const codesAt = (s: DepartmentServer) => s.received.filter((r) => r.method === 'POST').map((r) => r.headers['x-dossier-code']);

  it('opens after 3 transient failures in a row, spends no attempt while open, and closes when the department is back: all delivered once, none failed', async () => {
    const port = department.port;
    await department.close();
    const codes: string[] = [];
    for (let i = 0; i < 8; i++) codes.push(await submit());
    await eventually(async () => (await health()).circuit === 'open', 15_000);
    // The other department never notices.
    const elsewhere = await submit(otherDossier);
    await eventually(async () => (await get(elsewhere)).delivery.state === 'delivered');

    // While open: every dossier pending (those held say why), no attempt spent: attempts stay put across failed probes.
    const attempts = async () => {
      const rows = await Promise.all(codes.map(get));
      expect(rows.map((r) => r.delivery.state).every((s: string) => s === 'pending')).toBe(true);
      return rows.reduce((n, r) => n + r.delivery.attempts, 0);
    };
    const held = await attempts();
    const firstProbe = await eventually(async () => {
      const h = await health();
      return h.lastError?.startsWith('check:') && h;
    });
    expect(firstProbe).toMatchObject({ circuit: 'open', paused: false, consecutiveFailures: expect.any(Number), since: expect.any(String) });
    // Workers keep taking held jobs and giving them back (BullMQ counts the starts), yet no delivery attempt is spent.
    const starts = async () => {
      const jobs = await Promise.all(codes.map(async (code) => queue.getJob(deliveryJobId((await get(code)).delivery.id))));
      return jobs.reduce((n, j) => n + (j?.attemptsStarted ?? 0), 0);
    };
    const started = await starts();
    await eventually(async () => (await starts()) >= started + 2, 15_000);
    expect(await attempts()).toBe(held);
    expect(held).toBeLessThan(codes.length * 3);
    expect((await get(codes.at(-1)!)).delivery).toMatchObject({ state: 'pending', waiting: 'department_down' });

    department = await startDepartmentServer(reply, { port });
    for (const code of codes) await eventually(async () => (await get(code)).delivery.state === 'delivered', 20_000);
    expect(await health()).toMatchObject({ circuit: 'closed', consecutiveFailures: 0, lastSuccessAt: expect.any(String) });
    const delivered = codesAt(department);
    expect([...delivered].sort()).toEqual([...codes].sort());
    for (const code of codes) expect((await get(code)).events.some((e: { type: string }) => e.type === 'delivery_failed')).toBe(false);
  });

  it('a paused department stays paused across a restart (even with Redis forgetting it), then resume delivers', async () => {
    expect((await api('POST', `/v1/departments/${DEPT}/pause`, undefined, center)).body).toMatchObject({ health: { paused: true } });
    const heldJob = async (code: string) => {
      const d = await get(code);
      const job = await queue.getJob(deliveryJobId(d.delivery.id));
      // A worker took it and gave it back without an attempt.
      return (job?.attemptsStarted ?? 0) >= 1 && d.delivery.attempts === 0 && d;
    };
    const first = await submit();
    expect((await eventually(() => heldJob(first))).delivery).toMatchObject({ state: 'pending', waiting: 'paused' });

    await runtime.stop();
    await redis.del(`${t.prefix}:breaker:${DEPT}`);
    runtime = await Runtime.create({ settings: t.runtime.settings, role: 'all', logger: silentLogger, db: t.runtime.db });
    await runtime.start();
    base = `http://127.0.0.1:${runtime.port}`;
    expect(await health()).toMatchObject({ paused: true });
    const second = await submit();
    await eventually(() => heldJob(second));
    // The sweeper passes over a held department: its deliveries wait in its queue on purpose.
    expect(await runtime.sweep(0)).toBe(0);
    expect(codesAt(department)).not.toContain(first);
    expect(codesAt(department)).not.toContain(second);

    expect((await api('POST', `/v1/departments/${DEPT}/resume`, undefined, center)).body).toMatchObject({ health: { paused: false } });
    for (const code of [first, second]) await eventually(async () => (await get(code)).delivery.state === 'delivered');
    expect(codesAt(department).filter((c) => c === first || c === second)).toHaveLength(2);
    const audit = (await api('GET', `/v1/audit?subject=department:${DEPT}`)).body.items.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['department.paused', 'department.resumed']));
    expect((await api('POST', `/v1/departments/${DEPT}/pause`, undefined, portalKey)).status).toBe(403);
    expect((await api('POST', '/v1/departments/000.00.99.H63/pause')).status).toBe(404);
  });
});
