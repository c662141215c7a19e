import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDepartmentServer, type DepartmentServer } from '../helpers/department-server.js';
import { fixture, withCode } from '../helpers/fixtures.js';
import { eventually, restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

/** Failed deliveries many at once, on real PostgreSQL and Redis: list, dry run, then the retry itself in batches of 3. */
describe('bulk retry (postgres)', () => {
  const DEPT = '000.00.15.H63';
  const OTHER = '000.00.16.H63';
  let t: TestRuntime;
  let department: DepartmentServer;
  let other: DepartmentServer;
  const dossier = fixture('business-registration');
  const otherDossier = fixture('land-certificate');
  const codes: string[] = [];
  let otherCode: string;

  beforeAll(async () => {
    department = await startDepartmentServer(() => ({ status: 400, body: { error: 'thiếu trường maHoSo' } }));
    other = await startDepartmentServer(() => ({ status: 422, body: { error: 'sai định dạng' } }));
    t = await startTestRuntime({ store: 'postgres', env: { RETRY_BATCH: '3' } });
    expect((await t.api('PUT', `/v1/departments/${DEPT}`, restDepartment(department.url, [dossier.procedure.code]))).status).toBe(201);
    expect((await t.api('PUT', `/v1/departments/${OTHER}`, restDepartment(other.url, [otherDossier.procedure.code]))).status).toBe(201);
    await t.runtime.refreshDepartments();
    for (let i = 1; i <= 7; i++) {
      const d = withCode(dossier, 500 + i);
      expect((await t.api('POST', '/v1/dossiers', d)).status).toBe(202);
      codes.push(d.code);
    }
    const o = withCode(otherDossier, 600);
    expect((await t.api('POST', '/v1/dossiers', o)).status).toBe(202);
    otherCode = o.code;
    for (const code of [...codes, otherCode]) await eventually(async () => (await t.api('GET', `/v1/dossiers/${code}`)).body.delivery.state === 'failed');
  });
  afterAll(async () => {
    await t?.stop();
    await department?.close();
    await other?.close();
  });

  const state = async (code: string) => (await t.api('GET', `/v1/dossiers/${code}`)).body;

  it('lists failed deliveries, newest first, page by page; a department key sees its own', async () => {
    const first = await t.api('GET', '/v1/deliveries?state=failed&limit=5');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(5);
    expect(first.body.items[0]).toEqual({
      dossierCode: otherCode, department: OTHER, operation: 'submit', state: 'failed', attempts: 1,
      lastError: expect.stringMatching(/^permanent: .*422/), updatedAt: expect.any(String),
    });
    const second = await t.api('GET', `/v1/deliveries?state=failed&limit=5&cursor=${first.body.nextCursor}`);
    expect(second.body.nextCursor).toBeNull();
    expect([...first.body.items, ...second.body.items].map((i: { dossierCode: string }) => i.dossierCode)).toEqual([otherCode, ...[...codes].reverse()]);
    const mine = await t.api('GET', '/v1/deliveries', undefined, await t.key('department', 'so-khac', OTHER));
    expect(mine.body.items.map((i: { dossierCode: string }) => i.dossierCode)).toEqual([otherCode]);
    expect((await t.api('GET', `/v1/deliveries?department=${DEPT}&operation=submit`)).body.items).toHaveLength(7);
    expect((await t.api('GET', '/v1/deliveries?state=broken')).status).toBe(422);
  });

  it('dryRun counts and changes nothing; then the retry requeues each matching one with a timeline entry', async () => {
    const center = await t.key('center', 'quay-1');
    const dry = await t.api('POST', '/v1/deliveries/retry', { department: DEPT, errorContains: 'THIẾU TRƯỜNG', dryRun: true }, center);
    expect(dry).toMatchObject({ status: 202, body: { matched: 7, requeued: 0 } });
    expect((await t.api('POST', '/v1/deliveries/retry', { errorContains: 'no such error', dryRun: true }, center)).body).toEqual({ matched: 0, requeued: 0 });
    expect((await t.api('POST', '/v1/deliveries/retry', { failedBefore: '2000-01-01T00:00:00Z', dryRun: true }, center)).body.matched).toBe(0);
    expect((await t.api('POST', '/v1/deliveries/retry', { failedAfter: 'yesterday' }, center)).status).toBe(422);
    expect((await t.api('POST', '/v1/deliveries/retry', { departmnt: DEPT }, center)).status).toBe(422);
    for (const code of codes) expect((await state(code)).delivery.state).toBe('failed');
    expect(department.received).toHaveLength(7);

    department.setReply((r) => ({ status: 201, body: { id: `DN-${(r.body as { maHoSo: string }).maHoSo}` } }));
    const real = await t.api('POST', '/v1/deliveries/retry', { department: DEPT, operation: 'submit', failedAfter: '2020-01-01T00:00:00+07:00' }, center);
    expect(real).toMatchObject({ status: 202, body: { matched: 7, requeued: 7 } });
    for (const code of codes) {
      const d = await eventually(async () => {
        const r = await state(code);
        return r.delivery.state === 'delivered' && r;
      });
      const retried = d.events.filter((e: { type: string }) => e.type === 'delivery_retried');
      expect(retried).toHaveLength(1);
      expect(retried[0]).toMatchObject({ actor: 'center:quay-1 (bulk retry)', detail: { bulk: true, operation: 'submit', previousError: expect.stringContaining('400') } });
    }
    expect(department.received).toHaveLength(14);
    expect((await state(otherCode)).delivery.state).toBe('failed');
    expect((await t.api('POST', '/v1/deliveries/retry', { department: DEPT }, center)).body).toEqual({ matched: 0, requeued: 0 });
    expect((await t.api('POST', '/v1/deliveries/retry', {}, await t.key('portal', 'p'))).status).toBe(403);
    const audit = await t.api('GET', '/v1/audit?action=deliveries.bulk_retry');
    expect(audit.body.items[1].detail).toMatchObject({ department: DEPT, matched: 7, requeued: 7 });
  });
});
