import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDepartmentServer, type DepartmentServer } from '../helpers/department-server.js';
import { fixtures } from '../helpers/fixtures.js';
import { deliveriesSettled } from '../helpers/queue-idle.js';
import { ADMIN_KEY, dropQueues, eventually, restDepartment } from '../helpers/runtime.js';
import { createTestDatabase, startServerProcess } from '../helpers/server-process.js';

/**
 * End to end on real parts: the `lienthong start` process, PostgreSQL, Redis,
 * and a department system on a real HTTP server. Submits the sample
 * dossiers, checks what the department received, its callback, the timeline.
 */
describe('a dossier goes in once, reaches its REST department, and its status comes back', () => {
  const DEPT = '000.00.15.H63';
  const prefix = `e2e${randomBytes(4).toString('hex')}`;
  const samples = Object.values(fixtures());
  let department: DepartmentServer;
  let server: Awaited<ReturnType<typeof startServerProcess>>;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let centerKey: string;
  let departmentKey: string;

  const call = async (method: string, path: string, body?: unknown, key = ADMIN_KEY) => {
    const res = await fetch(server.base + path, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, type: res.headers.get('content-type') };
  };

  beforeAll(async () => {
    let n = 0;
    department = await startDepartmentServer(() => ({ status: 201, body: { id: `DN-${++n}`, ok: true } }));
    database = await createTestDatabase();
    server = await startServerProcess({ DATABASE_URL: database.url, QUEUE_PREFIX: prefix });
    centerKey = (await call('POST', '/v1/api-keys', { role: 'center', name: 'quay-1' })).body.key;
    departmentKey = (await call('POST', '/v1/api-keys', { role: 'department', department: DEPT, name: 'skhdt' })).body.key;
    const put = await call('PUT', `/v1/departments/${DEPT}`, restDepartment(department.url, samples.map((d) => d.procedure.code)));
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    expect(put.body.transport.auth.token).toBe('********');
  }, 60_000);

  afterAll(async () => {
    const code = await server?.stop();
    expect(code).toBe(0);
    await department?.close();
    await database?.drop();
    await dropQueues(prefix);
  });

  it('delivers each fixture once with the mapped body, Idempotency-Key and X-Dossier-Code', async () => {
    for (const dossier of samples) {
      const res = await call('POST', '/v1/dossiers', dossier, centerKey);
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect(res.body).toMatchObject({ code: dossier.code, status: 'received', statusCode: 2, department: DEPT });
    }
    await eventually(() => department.received.length >= samples.length, 15_000);
    expect(department.received).toHaveLength(samples.length);
    for (const dossier of samples) {
      const got = department.received.filter((r) => r.headers['x-dossier-code'] === dossier.code);
      expect(got).toHaveLength(1);
      const [req] = got;
      expect(req!.method).toBe('POST');
      expect(req!.url).toBe('/applications');
      expect(req!.headers['idempotency-key']).toBe(`${dossier.code}:submit`);
      expect(req!.headers.authorization).toBe('Bearer dept-secret-token');
      expect(req!.body).toEqual({
        maHoSo: dossier.code,
        thuTuc: dossier.procedure.code,
        nguoiNop: dossier.applicant.name,
        giayTo: dossier.documents.length === 1 ? dossier.documents[0]!.name : dossier.documents.map((d) => d.name),
      });
    }
    for (const dossier of samples) {
      const got = await eventually(async () => {
        const r = await call('GET', `/v1/dossiers/${dossier.code}`, undefined, centerKey);
        return r.body.status === 'processing' && r.body;
      });
      expect(got.statusCode).toBe(4);
      expect(got.delivery).toMatchObject({ state: 'delivered', attempts: 1, lastError: null });
      expect(got.delivery.reference).toMatch(/^DN-\d$/);
      expect(got.applicant.name).toBe(dossier.applicant.name); // Vietnamese text round-trips
    }
  });

  it('answers a repeat with 200 and sends nothing twice; changed content 409; invalid 422; unrouted 422', async () => {
    const [first] = samples;
    const again = await call('POST', '/v1/dossiers', first, centerKey);
    expect(again.status).toBe(200);
    expect(again.body.code).toBe(first!.code);

    const changed = await call('POST', '/v1/dossiers', { ...first, summary: 'khác' }, centerKey);
    expect(changed.status).toBe(409);
    expect(changed.type).toContain('application/problem+json');

    const bad = await call('POST', '/v1/dossiers', {
      ...first,
      code: 'not-a-code',
      applicant: { ...first!.applicant, idNumber: '12' },
      receivedAt: 'yesterday',
    }, centerKey);
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['applicant.idNumber', 'code', 'receivedAt']);

    const unrouted = await call('POST', '/v1/dossiers', { ...first, code: '000.00.00.H63-261128-0999', procedure: { code: '9.999999', name: 'Không ai xử lý' } }, centerKey);
    expect(unrouted.status).toBe(422);
    expect(unrouted.body.errors).toEqual([{ path: 'procedure.code', message: expect.stringContaining('9.999999') }]);

    // The refused and repeated submissions queued nothing: no delivery job is left to send one.
    await deliveriesSettled(prefix, DEPT);
    expect(department.received).toHaveLength(samples.length);
  });

  it("applies the department's callback: new status, portal code, timeline; a replay changes nothing", async () => {
    const dossier = samples[0]!;
    const before = (await call('GET', `/v1/dossiers/${dossier.code}`, undefined, centerKey)).body;
    const callback = { applicationId: before.delivery.reference, state: 'YEU_CAU_BO_SUNG', note: 'Thiếu bản sao CCCD', at: '2026-11-29T08:00:00+07:00' };
    const res = await call('POST', `/v1/departments/${DEPT}/events`, callback, departmentKey);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ dossierCode: dossier.code, status: 'supplement_requested', statusCode: 5, applied: true });

    const replay = await call('POST', `/v1/departments/${DEPT}/events`, callback, departmentKey);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ status: 'supplement_requested', applied: true, duplicate: true });

    const after = (await call('GET', `/v1/dossiers/${dossier.code}`, undefined, centerKey)).body;
    expect(after.status).toBe('supplement_requested');
    expect(after.statusCode).toBe(5);
    expect(after.events.map((e: { type: string; status: string }) => [e.type, e.status])).toEqual([
      ['received', 'received'],
      ['delivered', 'processing'],
      ['status_changed', 'supplement_requested'],
    ]);
    expect(after.events[2]).toMatchObject({ actor: `department:${DEPT}`, note: 'Thiếu bản sao CCCD' });

    // An illegal move is refused, recorded, not applied.
    const illegal = await call('POST', `/v1/departments/${DEPT}/events`, { ...callback, state: 'returned', note: 'x' }, departmentKey);
    expect(illegal.body).toMatchObject({ applied: false, status: 'supplement_requested', reason: expect.stringContaining('cannot move') });
  });

  it('keeps a department key to its own dossiers', async () => {
    const otherKey = (await call('POST', '/v1/api-keys', { role: 'department', department: '000.00.16.H63', name: 'other' })).body.key;
    const code = samples[0]!.code;
    expect((await call('GET', `/v1/dossiers/${code}`, undefined, otherKey)).status).toBe(404);
    expect((await call('GET', `/v1/dossiers/${code}`, undefined, departmentKey)).status).toBe(200);
    expect((await call('POST', '/v1/dossiers', samples[1], departmentKey)).status).toBe(403);
    expect((await call('GET', `/v1/dossiers/${code}`, undefined, 'no-such-key')).status).toBe(401);
  });
});
