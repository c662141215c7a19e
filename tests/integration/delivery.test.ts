import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDepartmentServer, type DepartmentServer } from '../helpers/department-server.js';
import { fixture, withCode } from '../helpers/fixtures.js';
import { deliveriesSettled } from '../helpers/queue-idle.js';
import { eventually, restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

/** Delivery on real Redis and a real department HTTP server: retries, permanent failures, operator retry. */
describe.each(['pglite', 'postgres'] as const)('delivery (%s)', (store) => {
  const DEPT = '000.00.15.H63';
  let t: TestRuntime;
  let department: DepartmentServer;
  let seq = 100;
  const base = fixture('business-registration');

  beforeAll(async () => {
    department = await startDepartmentServer();
    t = await startTestRuntime({ store, env: { DELIVERY_ATTEMPTS: '4' } });
    const res = await t.api('PUT', `/v1/departments/${DEPT}`, restDepartment(department.url, [base.procedure.code]));
    expect(res.status).toBe(201);
    await t.runtime.refreshDepartments();
  });
  afterAll(async () => {
    await t?.stop();
    await department?.close();
  });
  afterEach(() => {
    department.received.length = 0;
  });

  const submit = async () => {
    const dossier = withCode(base, ++seq);
    const res = await t.api('POST', '/v1/dossiers', dossier);
    expect(res.status).toBe(202);
    return dossier.code;
  };
  const get = async (code: string) => (await t.api('GET', `/v1/dossiers/${code}`)).body;

  it('retries transient failures (503 twice, then 200) and delivers once they succeed', async () => {
    department.setReply((_r, n) => (n <= 2 ? { status: 503, body: { error: 'bận' } } : { status: 200, body: { id: 'DN-OK' } }));
    const code = await submit();
    const d = await eventually(async () => {
      const r = await get(code);
      return r.delivery.state === 'delivered' && r;
    });
    expect(department.received).toHaveLength(3);
    expect(new Set(department.received.map((r) => r.headers['idempotency-key']))).toEqual(new Set([`${code}:submit`]));
    expect(d.delivery).toMatchObject({ attempts: 3, reference: 'DN-OK' });
    expect(d.status).toBe('processing');
    expect(d.events.map((e: { type: string }) => e.type)).toEqual(['received', 'delivery_attempt_failed', 'delivery_attempt_failed', 'delivered']);
    expect(d.events[1].note).toContain('503');
  });

  it('stops at once on a permanent failure (400), and retry re-sends after the department is fixed', async () => {
    department.setReply(() => ({ status: 400, body: { error: 'thiếu trường maHoSo' } }));
    const code = await submit();
    const failed = await eventually(async () => {
      const r = await get(code);
      return r.delivery.state === 'failed' && r;
    });
    expect(failed.delivery.attempts).toBe(1);
    expect(failed.delivery.lastError).toMatch(/^permanent: .*400/);
    expect(failed.events.at(-1)).toMatchObject({ type: 'delivery_failed', detail: { kind: 'permanent', final: true } });
    // No job left that could send it again: the one attempt is all there will be.
    await deliveriesSettled(t.prefix, DEPT);
    expect(department.received).toHaveLength(1);

    const listed = await t.api('GET', '/v1/dossiers?deliveryState=failed');
    expect(listed.body.items.map((i: { code: string }) => i.code)).toContain(code);

    department.setReply(() => ({ status: 201, body: { id: 'DN-FIXED' } }));
    const retry = await t.api('POST', `/v1/dossiers/${code}/retry`);
    expect(retry.status).toBe(202);
    const delivered = await eventually(async () => {
      const r = await get(code);
      return r.delivery.state === 'delivered' && r;
    });
    expect(delivered.delivery.reference).toBe('DN-FIXED');
    expect(department.received).toHaveLength(2);
    expect(department.received[1]!.headers['idempotency-key']).toBe(`${code}:submit`);
    expect((await t.api('POST', `/v1/dossiers/${code}/retry`)).status).toBe(409);
  });

  it('gives up after the attempt budget on a department that stays down', async () => {
    department.setReply(() => ({ status: 502 }));
    const code = await submit();
    const failed = await eventually(async () => {
      const r = await get(code);
      return r.delivery.state === 'failed' && r;
    });
    expect(failed.delivery.attempts).toBe(4);
    expect(department.received).toHaveLength(4);
    expect(failed.delivery.lastError).toMatch(/^transient: /);
  });

  it('cancels a delivery the department never received when the dossier is withdrawn, and tells it nothing', async () => {
    department.setReply(() => ({ status: 400, body: { error: 'sai định dạng' } }));
    const code = await submit();
    await eventually(async () => (await get(code)).delivery.state === 'failed');
    const wd = await t.api('POST', `/v1/dossiers/${code}/withdrawal`, { reason: 'Người nộp xin rút' });
    expect(wd.status).toBe(202);
    expect(wd.body.status).toBe('withdrawn');
    expect(wd.body.deliveries.map((d: { operation: string; state: string }) => [d.operation, d.state])).toEqual([['submit', 'cancelled']]);
    expect(wd.body.events.at(-1)).toMatchObject({ type: 'withdrawn', detail: { forwarded: false } });
    expect((await t.api('POST', `/v1/dossiers/${code}/retry`)).status).toBe(409);
    await deliveriesSettled(t.prefix, DEPT);
    expect(department.received.filter((r) => r.method === 'DELETE')).toHaveLength(0);
  });

  it('fails a delivery at once when its mapping fails at run time, naming the expression', async () => {
    const birth = fixture('birth-registration');
    const config = restDepartment(department.url, [birth.procedure.code], { codeTables: { gioiTinh: { 'Nữ': '2' } } });
    config.operations.submit.request = '{"maHoSo": dossier.code, "gioiTinh": $code("gioiTinh", dossier.data.treEm.gioiTinh)}';
    expect((await t.api('PUT', '/v1/departments/000.00.30.H63', config)).status).toBe(201);
    await t.runtime.refreshDepartments();
    const dossier = withCode(birth, ++seq);
    expect((await t.api('POST', '/v1/dossiers', dossier)).status).toBe(202);
    const failed = await eventually(async () => {
      const r = await get(dossier.code);
      return r.delivery.state === 'failed' && r;
    });
    expect(failed.delivery.attempts).toBe(1);
    expect(failed.delivery.lastError).toMatch(/^permanent: mapping operations\.submit\.request failed: .*gioiTinh/);
    expect(failed.events.at(-1)).toMatchObject({ type: 'delivery_failed', detail: { kind: 'permanent' } });
    expect(department.received).toHaveLength(0);
  });

  it('forwards supplements and withdrawals to the department with its reference', async () => {
    department.setReply((r) => (r.method === 'POST' && r.url === '/applications' ? { status: 201, body: { id: 'DN-77' } } : { status: 200, body: {} }));
    const code = await submit();
    await eventually(async () => (await get(code)).delivery.state === 'delivered');
    const sup = await t.api('POST', `/v1/dossiers/${code}/supplements`, { note: 'Bổ sung bản sao', documents: [{ id: 'bs1', name: 'Bản sao CCCD', url: 'http://127.0.0.1:9199/files/bs1.pdf' }] });
    expect(sup.status).toBe(202);
    await eventually(() => department.received.some((r) => r.url === '/applications/DN-77/supplements'));
    const supReq = department.received.find((r) => r.url === '/applications/DN-77/supplements')!;
    expect(supReq.headers['idempotency-key']).toBe(`${code}:supplement:1`);
    expect((supReq.body as { supplement: { note: string } }).supplement.note).toBe('Bổ sung bản sao');

    const wd = await t.api('POST', `/v1/dossiers/${code}/withdrawal`, { reason: 'Người nộp xin rút' });
    expect(wd.status).toBe(202);
    expect(wd.body.status).toBe('withdrawn');
    await eventually(() => department.received.some((r) => r.method === 'DELETE' && r.url === '/applications/DN-77'));
    expect((await t.api('POST', `/v1/dossiers/${code}/withdrawal`, { reason: 'lần nữa' })).status).toBe(409);
  });
});
