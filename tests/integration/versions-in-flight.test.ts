import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../core/config.js';
import { silentLogger } from '../../core/logger.js';
import { Runtime } from '../../runtime/runtime.js';
import { openTestDb } from '../helpers/db.js';
import { startDepartmentServer, type DepartmentServer } from '../helpers/department-server.js';
import { fixture, withCode } from '../helpers/fixtures.js';
import { ADMIN_KEY, dropQueues, eventually, REDIS_URL, restDepartment } from '../helpers/runtime.js';

/**
 * "A delivery uses the version that was current when it was queued": 1,000
 * dossiers are queued under mapping v1 while no worker runs, the mapping is
 * changed, Redis is wiped, then workers start. Every one of them goes out
 * under v1, re-queued from the store by the sweeper (in several batches).
 */
describe('a mapping change never breaks dossiers in flight', () => {
  const DEPT = '000.00.15.H63';
  const COUNT = 1000;
  const prefix = `vif${randomBytes(4).toString('hex')}`;
  let department: DepartmentServer;
  let db: Awaited<ReturnType<typeof openTestDb>>;
  let gateway: Runtime;
  let worker: Runtime | undefined;

  beforeAll(async () => {
    department = await startDepartmentServer(() => ({ status: 201, body: { id: 'X' } }));
    db = await openTestDb('postgres');
    const settings = loadSettings({ PORT: '0', HOST: '127.0.0.1', REDIS_URL, ADMIN_API_KEY: ADMIN_KEY, QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent', DELIVERY_CONCURRENCY: '16', DEPARTMENTS_REFRESH_MS: '200' });
    gateway = await Runtime.create({ settings, role: 'gateway', logger: silentLogger, db: db.db });
    await gateway.start();
    worker = await Runtime.create({ settings, role: 'worker', logger: silentLogger, db: db.db });
  });
  afterAll(async () => {
    await worker?.stop();
    await gateway?.stop();
    await dropQueues(prefix);
    await db?.drop();
    await department?.close();
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${gateway.port}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('delivers each of 1,000 queued dossiers with the version it was queued under', async () => {
    const config = restDepartment(department.url, ['2.001610']);
    config.operations.submit.request = '{"maHoSo": dossier.code, "phienBanMapping": 1}';
    expect((await api('PUT', `/v1/departments/${DEPT}`, config)).status).toBe(201);

    const base = fixture('business-registration');
    const codes = Array.from({ length: COUNT }, (_, i) => withCode(base, i + 1));
    for (let i = 0; i < COUNT; i += 25) {
      const statuses = await Promise.all(codes.slice(i, i + 25).map(async (d) => (await api('POST', '/v1/dossiers', d)).status));
      expect(new Set(statuses)).toEqual(new Set([202]));
    }
    expect(department.received).toHaveLength(0); // no worker yet: all queued

    config.operations.submit.request = '{"maHoSo": dossier.code, "phienBanMapping": 2}';
    expect((await api('PUT', `/v1/departments/${DEPT}`, config)).body.version).toBe(2);

    // And Redis loses every queued job on top of that: the sweeper rebuilds them from the store at start.
    await dropQueues(prefix);
    await worker!.start();
    await eventually(() => department.received.length >= COUNT, 60_000, 200);
    const versions = department.received.map((r) => (r.body as { phienBanMapping: number }).phienBanMapping);
    expect(versions.filter((v) => v === 1)).toHaveLength(COUNT);
    expect(new Set(department.received.map((r) => r.headers['x-dossier-code'])).size).toBe(COUNT);

    const late = withCode(base, COUNT + 1);
    expect((await api('POST', '/v1/dossiers', late)).status).toBe(202);
    await eventually(() => department.received.length === COUNT + 1, 10_000);
    expect(department.received.at(-1)!.body).toEqual({ maHoSo: late.code, phienBanMapping: 2 });
    const d = (await api('GET', `/v1/dossiers/${codes[0]!.code}`)).body;
    expect(d.delivery).toMatchObject({ state: 'delivered', configVersion: 1 });
  }, 120_000);
});
