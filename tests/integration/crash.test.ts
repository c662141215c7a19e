import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDepartmentServer, type DepartmentServer } from '../helpers/department-server.js';
import { fixture, withCode } from '../helpers/fixtures.js';
import { ADMIN_KEY, dropQueues, eventually, restDepartment } from '../helpers/runtime.js';
import { createTestDatabase, freePort, startServerProcess } from '../helpers/server-process.js';

/**
 * "No dossier is ever accepted and then lost": the real CLI process is killed
 * (SIGKILL) between accepting a dossier and delivering it, then restarted.
 */
describe('killing the process between accepting and delivering loses nothing', () => {
  const DEPT = '000.00.15.H63';
  let department: DepartmentServer;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    department = await startDepartmentServer(() => ({ status: 201, body: { id: 'DN-CRASH' } }));
  });
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    await department.close();
  });

  const call = async (base: string, method: string, p: string, body?: unknown) => {
    const res = await fetch(base + p, {
      method,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
  };

  it('Redis unreachable at accept time, process killed: after restart the sweeper delivers (PGlite on disk)', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lienthong-crash-'));
    const prefix = `crash${randomBytes(4).toString('hex')}`;
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }), () => dropQueues(prefix));
    const dossier = withCode(fixture('business-registration'), 501);

    // A gateway whose Redis is dead: it still accepts (the outbox is in the database).
    const deadRedis = `redis://127.0.0.1:${await freePort()}`;
    // /readyz is 503 without Redis: wait for /healthz instead.
    const gw = await startUnready({ DATA_DIR: dataDir, REDIS_URL: deadRedis, QUEUE_PREFIX: prefix });
    expect((await call(gw.base, 'PUT', `/v1/departments/${DEPT}`, restDepartment(department.url, [dossier.procedure.code]))).status).toBe(201);
    const accepted = await call(gw.base, 'POST', '/v1/dossiers', dossier);
    expect(accepted.status).toBe(202);
    expect(accepted.body.delivery.state).toBe('pending');
    await gw.kill();

    const restarted = await startServerProcess({ DATA_DIR: dataDir, QUEUE_PREFIX: prefix });
    cleanups.push(() => restarted.stop());
    await eventually(() => department.received.some((r) => r.headers['x-dossier-code'] === dossier.code), 15_000);
    const got = await eventually(async () => {
      const r = await call(restarted.base, 'GET', `/v1/dossiers/${dossier.code}`);
      return r.body.delivery.state === 'delivered' && r.body;
    });
    expect(got.status).toBe('processing');
    expect(department.received.filter((r) => r.headers['x-dossier-code'] === dossier.code)).toHaveLength(1);
  });

  it('killed while the department is answering: after restart the job returns and is delivered (PostgreSQL)', async () => {
    const database = await createTestDatabase();
    const prefix = `crash${randomBytes(4).toString('hex')}`;
    cleanups.push(() => database.drop(), () => dropQueues(prefix));
    const env = { DATABASE_URL: database.url, QUEUE_PREFIX: prefix, JOB_LOCK_MS: '1500' };
    const dossier = withCode(fixture('business-registration'), 502);

    const slow = await startDepartmentServer(() => ({ status: 201, body: { id: 'DN-SLOW' }, delayMs: 60_000 }));
    cleanups.push(() => slow.close());
    const first = await startServerProcess(env);
    expect((await call(first.base, 'PUT', `/v1/departments/${DEPT}`, restDepartment(slow.url, [dossier.procedure.code]))).status).toBe(201);
    expect((await call(first.base, 'POST', '/v1/dossiers', dossier)).status).toBe(202);
    await eventually(() => slow.received.length === 1, 10_000);
    await first.kill(); // mid-request: the department never answered

    slow.setReply(() => ({ status: 201, body: { id: 'DN-SLOW' } }));
    const second = await startServerProcess(env);
    cleanups.push(() => second.stop());
    const got = await eventually(async () => {
      const r = await call(second.base, 'GET', `/v1/dossiers/${dossier.code}`);
      return r.body.delivery.state === 'delivered' && r.body;
    }, 20_000);
    expect(got.delivery.reference).toBe('DN-SLOW');
    // Both attempts carried the same key: the department can drop the repeat.
    expect(new Set(slow.received.map((r) => r.headers['idempotency-key']))).toEqual(new Set([`${dossier.code}:submit`]));
  });
});

/** A gateway process that cannot become ready (dead Redis): wait for /healthz instead. */
async function startUnready(env: Record<string, string>) {
  return startServerProcess(env, 'gateway', '/healthz');
}
