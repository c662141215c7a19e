import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDepartmentServer, type DepartmentServer } from '../helpers/department-server.js';
import { sha256, startFileServer } from '../helpers/file-server.js';
import { fixture, withCode } from '../helpers/fixtures.js';
import { eventually, restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

/** The `status` operation polled on a BullMQ job scheduler: answers become canonical events. */
describe('status polling', () => {
  const DEPT = '000.00.15.H63';
  let t: TestRuntime;
  let department: DepartmentServer;
  const state: Record<string, string> = {};

  const kq = Buffer.from('%PDF-1.7 giấy chứng nhận');
  let fileServer: Awaited<ReturnType<typeof startFileServer>>;

  beforeAll(async () => {
    fileServer = await startFileServer({ 'kq.pdf': kq });
    department = await startDepartmentServer((r) => {
      if (r.method === 'POST') {
        const ref = `HS-${(r.body as { maHoSo: string }).maHoSo.slice(-4)}`;
        state[ref] = 'DANG_XU_LY';
        return { status: 201, body: { id: ref } };
      }
      const ref = decodeURIComponent(r.url.split('/').pop() ?? '');
      const s = state[ref];
      if (!s) return { status: 404, body: { error: 'not found' } };
      return { status: 200, body: { ma: ref, trangThai: s, ghiChu: s === 'DA_XU_LY' ? 'Đã cấp giấy chứng nhận' : undefined, ketQua: s === 'DA_XU_LY' ? [{ ten: 'Giấy chứng nhận', duongDan: fileServer.url('kq.pdf') }] : [] } };
    });
    t = await startTestRuntime();
    const config = restDepartment(department.url, [fixture('business-registration').procedure.code], {});
    (config.operations as Record<string, unknown>).status = {
      method: 'GET',
      path: '/applications/{reference}',
      everyMs: 1000,
      event: '{"status": trangThai, "note": ghiChu, "results": ketQua.{"name": ten, "url": duongDan}}',
    };
    expect((await t.api('PUT', `/v1/departments/${DEPT}`, config)).status).toBe(201);
    await t.runtime.refreshDepartments();
  });
  afterAll(async () => {
    await t?.stop();
    await department?.close();
    await fileServer?.close();
  });

  it('moves a dossier along with what its department answers, recording no duplicate', async () => {
    const dossier = withCode(fixture('business-registration'), 401);
    expect((await t.api('POST', '/v1/dossiers', dossier)).status).toBe(202);
    await eventually(async () => (await t.api('GET', `/v1/dossiers/${dossier.code}`)).body.status === 'processing');
    // Polled while processing: the same answer each time adds one progress entry, not one per poll.
    await eventually(() => department.received.filter((r) => r.method === 'GET').length >= 2, 10_000);
    state['HS-0401'] = 'DA_XU_LY';
    const done = await eventually(async () => {
      const r = (await t.api('GET', `/v1/dossiers/${dossier.code}`)).body;
      return r.status === 'resolved' && r;
    }, 10_000);
    expect(done.statusCode).toBe(9);
    const types = done.events.map((e: { type: string }) => e.type);
    expect(types.filter((x: string) => x === 'progress')).toHaveLength(1);
    expect(done.events.find((e: { status: string }) => e.status === 'resolved')).toMatchObject({ type: 'status_changed', actor: `department:${DEPT}:poll`, note: 'Đã cấp giấy chứng nhận' });
    const result = await eventually(async () => {
      const r = (await t.api('GET', `/v1/dossiers/${dossier.code}`)).body.results[0];
      return r?.state === 'stored' && r;
    });
    expect(result).toMatchObject({ name: 'Giấy chứng nhận', size: kq.length, sha256: sha256(kq) });
    const gets = department.received.filter((r) => r.method === 'GET');
    expect(gets[0]!.url).toBe('/applications/HS-0401');
    expect(gets[0]!.headers['x-dossier-code']).toBe(dossier.code);
    // A resolved dossier is not polled any more. Proof without a fixed wait: another
    // dossier of the department, still processing, is polled twice by runs that
    // started after this one was resolved; they did not poll this one.
    const polledFor = (ref: string) => department.received.filter((r) => r.method === 'GET' && r.url === `/applications/${ref}`).length;
    const count = polledFor('HS-0401');
    const other = withCode(fixture('business-registration'), 402);
    expect((await t.api('POST', '/v1/dossiers', other)).status).toBe(202);
    await eventually(() => polledFor('HS-0402') >= 2, 10_000);
    expect(polledFor('HS-0401')).toBeLessThanOrEqual(count + 1);

    const returned = await t.api('POST', `/v1/dossiers/${dossier.code}/returned`, { at: '2026-12-01T09:00:00+07:00' });
    expect(returned.body).toMatchObject({ status: 'returned', statusCode: 10 });
  });
});
