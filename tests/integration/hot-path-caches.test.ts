import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../core/config.js';
import { silentLogger } from '../../core/logger.js';
import { Runtime } from '../../runtime/runtime.js';
import { DeliveryStore } from '../../store/delivery-store.js';
import { openTestDb } from '../helpers/db.js';
import { fixture, withCode } from '../helpers/fixtures.js';
import { ADMIN_KEY, dropQueues, REDIS_URL, restDepartment } from '../helpers/runtime.js';

/**
 * The accept path reads keys and routes from memory. Two gateways on one
 * store: what one of them changes, the other's cached route never hides —
 * the accept statement checks the route it was given and routes again.
 */
describe('hot-path caches across processes', () => {
  const DEPT = '000.00.15.H63';
  const OTHER = '000.00.16.H63';
  const prefix = `hpc${randomBytes(4).toString('hex')}`;
  let db: Awaited<ReturnType<typeof openTestDb>>;
  let a: Runtime;
  let b: Runtime;
  const base = fixture('business-registration');
  let n = 100;

  const call = async (rt: Runtime, method: string, path: string, body?: unknown) => {
    const res = await rt.gateway.request(path, {
      method,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
  };
  const submit = (rt: Runtime) => call(rt, 'POST', '/v1/dossiers', withCode(base, n++));

  beforeAll(async () => {
    db = await openTestDb('postgres');
    // No workers: deliveries stay pending, their config version is what we read.
    const settings = loadSettings({ PORT: '0', HOST: '127.0.0.1', REDIS_URL, ADMIN_API_KEY: ADMIN_KEY, QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent' });
    a = await Runtime.create({ settings, role: 'gateway', logger: silentLogger, db: db.db });
    b = await Runtime.create({ settings, role: 'gateway', logger: silentLogger, db: db.db });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await dropQueues(prefix);
    await db?.drop();
  });

  it('a department changed through another gateway is used by the next accept, at once', async () => {
    expect((await call(a, 'PUT', `/v1/departments/${DEPT}`, restDepartment('http://127.0.0.1:9', [base.procedure.code]))).status).toBe(201);
    const first = await submit(b); // b now has the route (version 1) in memory
    expect(first.status).toBe(202);
    expect(first.body.delivery).toMatchObject({ state: 'pending', configVersion: 1 });
    expect(first.body.events).toMatchObject([{ seq: 1, detail: { department: DEPT, configVersion: 1 } }]);

    // The 202 is what the store holds (built from what was written, not read back).
    expect((await call(b, 'GET', `/v1/dossiers/${first.body.code}`)).body).toEqual(first.body);

    expect((await call(a, 'PUT', `/v1/departments/${DEPT}`, restDepartment('http://127.0.0.1:10', [base.procedure.code]))).status).toBe(200);
    const second = await submit(b);
    expect(second.status).toBe(202);
    expect(second.body.delivery.configVersion).toBe(2);
    const stored = await new DeliveryStore(db.db).ofDossier(second.body.code);
    expect(stored.map((d) => d.configVersion)).toEqual([2]);

    // The procedure moves to another department (a's change again): b routes it there at once.
    expect((await call(a, 'PUT', `/v1/departments/${DEPT}`, restDepartment('http://127.0.0.1:10', []))).status).toBe(200);
    expect((await call(a, 'PUT', `/v1/departments/${OTHER}`, restDepartment('http://127.0.0.1:11', [base.procedure.code]))).status).toBe(201);
    const third = await submit(b);
    expect(third.status).toBe(202);
    expect(third.body.department).toBe(OTHER);

    // Disabled elsewhere: refused at once, and a dossier accepted before is still answered as before.
    expect((await call(a, 'DELETE', `/v1/departments/${OTHER}`)).status).toBeLessThan(300);
    const refused = await submit(b);
    expect(refused.status).toBe(422);
    const again = await call(b, 'POST', '/v1/dossiers', withCode(base, Number(third.body.code.slice(-4))));
    expect(again.status).toBe(200);
    expect(again.body.code).toBe(third.body.code);
  });
});
