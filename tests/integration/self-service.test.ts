import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDepartmentServer, type DepartmentServer } from '../helpers/department-server.js';
import { fixture } from '../helpers/fixtures.js';
import { restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

/** Department IT connects its own system: preview, update, version history and rollback with its own key. */
describe('department self-service', () => {
  const DEPT = '000.00.15.H63';
  const OTHER = '000.00.16.H63';
  let t: TestRuntime;
  let department: DepartmentServer;
  let own: string;
  let center: string;
  const dossier = fixture('business-registration');

  beforeAll(async () => {
    department = await startDepartmentServer();
    t = await startTestRuntime();
    expect((await t.api('PUT', `/v1/departments/${DEPT}`, restDepartment(department.url, [dossier.procedure.code]))).status).toBe(201);
    expect((await t.api('PUT', `/v1/departments/${OTHER}`, restDepartment(department.url, ['1.001193']))).status).toBe(201);
    own = await t.key('department', 'skhdt-it', DEPT);
    center = await t.key('center', 'quay');
  });
  afterAll(async () => {
    await t?.stop();
    await department?.close();
  });

  it('reads and updates its own configuration, never its routing, never another department', async () => {
    const got = await t.api('GET', `/v1/departments/${DEPT}`, undefined, own);
    expect(got.status).toBe(200);
    const { id: _i, version, updatedAt: _u, ...doc } = got.body;
    doc.operations.submit.request = '{"maHoSo": dossier.code, "phienBan": 2}';
    const put = await t.api('PUT', `/v1/departments/${DEPT}`, doc, own);
    expect(put.status).toBe(200);
    expect(put.body.version).toBe(version + 1);
    expect((await t.api('PUT', `/v1/departments/${DEPT}`, { ...doc, procedures: [...doc.procedures, '2.000488'] }, own)).status).toBe(403);
    expect((await t.api('PUT', `/v1/departments/${DEPT}`, { ...doc, enabled: false }, own)).status).toBe(403);
    expect((await t.api('GET', `/v1/departments/${OTHER}`, undefined, own)).status).toBe(404);
    expect((await t.api('PUT', `/v1/departments/${OTHER}`, doc, own)).status).toBe(404);
    expect((await t.api('POST', `/v1/departments/${OTHER}/preview`, { operation: 'submit', dossier }, own)).status).toBe(404);
    expect((await t.api('GET', `/v1/departments/${OTHER}/versions`, undefined, own)).status).toBe(404);
    expect((await t.api('GET', '/v1/departments', undefined, own)).status).toBe(403);
    expect((await t.api('POST', `/v1/departments/${DEPT}/check`, undefined, own)).body.ok).toBe(true);
    expect((await t.api('POST', `/v1/departments/${DEPT}/preview`, { operation: 'submit', dossier }, center)).status).toBe(403);
  });

  it('previews the exact request without sending anything, secrets masked', async () => {
    const before = department.received.length;
    const res = await t.api('POST', `/v1/departments/${DEPT}/preview`, { operation: 'submit', dossier }, own);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      operation: 'submit',
      request: {
        method: 'POST',
        url: `${department.url}/applications`,
        headers: { Authorization: '********', 'Idempotency-Key': `${dossier.code}:submit`, 'X-Dossier-Code': dossier.code },
        body: { maHoSo: dossier.code, phienBan: 2 },
      },
    });
    const withdraw = await t.api('POST', `/v1/departments/${DEPT}/preview`, { operation: 'withdraw', dossier, reference: 'DN-9' }, own);
    expect(withdraw.body.request).toMatchObject({ method: 'DELETE', url: `${department.url}/applications/DN-9` });
    const answer = await t.api('POST', `/v1/departments/${DEPT}/preview`, { operation: 'callback', answer: { applicationId: 'DN-9', state: 'DA_XU_LY', note: 'xong' } }, own);
    expect(answer.body).toEqual({ operation: 'callback', version: expect.any(Number), event: { reference: 'DN-9', status: 'resolved', note: 'xong' } });
    expect(department.received.length).toBe(before);
  });

  it('shows mapping errors in preview with the expression, and bad dossiers with their fields', async () => {
    const got = (await t.api('GET', `/v1/departments/${DEPT}`, undefined, own)).body;
    const { id: _i, version: _v, updatedAt: _u, ...doc } = got;
    doc.operations.submit.request = '{"tien": $number(dossier.applicant.name)}';
    expect((await t.api('PUT', `/v1/departments/${DEPT}`, doc, own)).status).toBe(200);
    const res = await t.api('POST', `/v1/departments/${DEPT}/preview`, { operation: 'submit', dossier }, own);
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('operations.submit.request');
    expect(JSON.stringify(res.body)).not.toContain(dossier.applicant.name);
    const bad = await t.api('POST', `/v1/departments/${DEPT}/preview`, { operation: 'submit', dossier: { ...dossier, code: 'x' } }, own);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['dossier.code']);
  });

  it('keeps every version with who changed what, and rolls back', async () => {
    const list = await t.api('GET', `/v1/departments/${DEPT}/versions`, undefined, own);
    expect(list.status).toBe(200);
    const items = list.body.items;
    expect(items.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    expect(items[0]).toMatchObject({ changedBy: `department:${DEPT}`, changes: ['operations.submit.request'] });
    expect(items[2].changedBy).toBe('admin:ADMIN_API_KEY');
    const v1 = await t.api('GET', `/v1/departments/${DEPT}/versions/1`, undefined, own);
    expect(v1.body.transport.auth.token).toBe('********');
    const restored = await t.api('POST', `/v1/departments/${DEPT}/versions/2/restore`, undefined, own);
    expect(restored.status).toBe(200);
    expect(restored.body.version).toBe(4);
    expect(restored.body.operations.submit.request).toBe('{"maHoSo": dossier.code, "phienBan": 2}');
    const after = (await t.api('GET', `/v1/departments/${DEPT}/versions`, undefined, own)).body.items[0];
    expect(after.changedBy).toBe(`department:${DEPT} (restored version 2)`);
    expect((await t.api('POST', `/v1/departments/${DEPT}/versions/99/restore`, undefined, own)).status).toBe(404);
  });
});
