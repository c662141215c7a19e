import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDepartmentServer, type DepartmentServer } from '../helpers/department-server.js';
import { fixture } from '../helpers/fixtures.js';
import { startPortalSimulator, type PortalSimulator } from '../helpers/portal-simulator.js';
import { eventually, restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

/**
 * A dossier's deadline end to end on PostgreSQL, real Redis, a department
 * system on a real HTTP server and the national portal simulator: received →
 * supplement requested → supplement forwarded (restart) → extension →
 * resolved late. Checks its timeline, its `deadline`, what the department
 * and the portal received, and the progress report's row.
 */
describe('a dossier resolved late, end to end', () => {
  const DEPT = '000.00.15.H63';
  let t: TestRuntime;
  let department: DepartmentServer;
  let portal: PortalSimulator;
  let center: string;
  let own: string;
  const dossier = { ...fixture('business-registration'), receivedAt: '2026-11-02T08:00:00+07:00' };
  delete (dossier as { dueAt?: string }).dueAt;
  const code = dossier.code;
  const callback = (state: string, at: string, note?: string) =>
    t.api('POST', `/v1/departments/${DEPT}/events`, { applicationId: 'REF-1', state, at, ...(note ? { note } : {}) }, own);

  beforeAll(async () => {
    department = await startDepartmentServer();
    portal = await startPortalSimulator();
    t = await startTestRuntime({ store: 'postgres', env: { ...portal.env, PORTAL_POLL_MS: '50', PORTAL_BACKOFF_MS: '50' } });
    center = await t.key('center', 'quay-1');
    own = await t.key('department', 'skhdt', DEPT);
    expect((await t.api('PUT', `/v1/departments/${DEPT}`, restDepartment(department.url, ['2.001610']))).status).toBe(201);
    const put = await t.api('PUT', '/v1/procedures/2.001610', {
      name: 'Đăng ký thành lập doanh nghiệp tư nhân',
      sector: 'Thành lập và phát triển doanh nghiệp',
      processingTime: { value: 3, unit: 'working_days' },
      supplementPolicy: 'restart',
    });
    expect(put.status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await department?.close();
    await portal?.close();
  });

  it('walks the clock and tells the department and the portal', { timeout: 120_000 }, async () => {
    const accepted = await t.api('POST', '/v1/dossiers', dossier, center);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    // Mon 08:00 + 3 working days.
    expect(accepted.body.deadline).toMatchObject({ dueAt: '2026-11-05T08:00:00+07:00', source: 'computed' });
    await eventually(async () => (await t.api('GET', `/v1/dossiers/${code}`)).body.status === 'processing', 20_000);
    await eventually(() => portal.dossiers.has(code), 20_000);

    expect((await callback('YEU_CAU_BO_SUNG', '2026-11-03T10:00:00+07:00', 'Thiếu bản sao CCCD')).body.applied).toBe(true);
    const paused = (await t.api('GET', `/v1/dossiers/${code}`, undefined, center)).body;
    expect(paused.deadline).toMatchObject({ state: 'paused', pausedSince: '2026-11-03T10:00:00+07:00' });
    expect((await t.api('GET', '/v1/dossiers?deadline=paused', undefined, center)).body.items.map((d: { code: string }) => d.code)).toEqual([code]);

    const sent = await t.api('POST', `/v1/dossiers/${code}/supplements`, { note: 'Bản sao CCCD', receivedAt: '2026-11-09T09:00:00+07:00', documents: [] }, center);
    expect(sent.status).toBe(202);
    // Restart: three working days from Mon 09:00 → Thu 12/11 09:00.
    expect(sent.body.deadline).toMatchObject({ dueAt: '2026-11-12T09:00:00+07:00', pausedSince: null });
    await eventually(() => department.received.some((r) => r.url === '/applications/REF-1/supplements'), 20_000);

    const ext = await t.api('POST', `/v1/dossiers/${code}/extension`, { newDueAt: '2026-11-13T17:00:00+07:00', reason: 'Cần xác minh thông tin chủ doanh nghiệp' }, own);
    expect(ext.status, JSON.stringify(ext.body)).toBe(200);
    expect(ext.body.deadline).toMatchObject({ dueAt: '2026-11-12T09:00:00+07:00', extendedTo: '2026-11-13T17:00:00+07:00' });

    await callback('DANG_XU_LY', '2026-11-10T08:00:00+07:00');
    await callback('DA_XU_LY', '2026-11-13T10:00:00+07:00', 'Đã cấp giấy chứng nhận');
    const done = (await t.api('GET', `/v1/dossiers/${code}`, undefined, center)).body;
    expect(done.status).toBe('resolved');
    // Resolved on Fri 13/11, a later date than Thu 12/11: late, whatever the extension said.
    expect(done.deadline).toEqual({
      dueAt: '2026-11-12T09:00:00+07:00',
      source: 'computed',
      state: 'done_late',
      pausedSince: null,
      extendedTo: '2026-11-13T17:00:00+07:00',
      doneAt: '2026-11-13T10:00:00+07:00',
    });
    const steps = done.events.filter((e: { type: string }) => !['delivered', 'delivery_attempt'].includes(e.type)).map((e: { type: string; status: string }) => `${e.type} ${e.status}`);
    expect(steps).toEqual([
      'received received',
      'status_changed supplement_requested',
      'supplement_sent supplement_requested',
      'deadline_changed supplement_requested',
      'extended supplement_requested',
      'status_changed processing',
      'status_changed resolved',
    ]);
    const changed = done.events.find((e: { type: string }) => e.type === 'deadline_changed');
    expect(changed.detail).toEqual({ from: '2026-11-05T08:00:00+07:00', to: '2026-11-12T09:00:00+07:00', reason: 'supplement_restart', at: '2026-11-09T09:00:00+07:00' });

    // The portal: the dossier's NgayHenTra follows the due date; each step carries the due date in force.
    await eventually(() => portal.dossiers.get(code)?.steps.some((s) => s.TrangThai === 9), 30_000);
    const held = portal.dossiers.get(code)!;
    expect(held.item.NgayHenTra).toBe('20261112090000');
    const byWhat = (prefix: string) => held.steps.find((s) => String(s.NoiDungXuLy).startsWith(prefix));
    expect(byWhat('Tiếp nhận hồ sơ')?.NgayKetThucTheoQuyDinh).toBe('20261105080000');
    expect(byWhat('Yêu cầu bổ sung giấy tờ')?.NgayKetThucTheoQuyDinh).toBe('20261105080000');
    expect(byWhat('Điều chỉnh ngày hẹn trả kết quả')).toMatchObject({ NgayKetThucTheoQuyDinh: '20261112090000', TrangThai: 5 });
    expect(byWhat('Xin lỗi và hẹn lại ngày trả kết quả')).toMatchObject({
      NgayKetThucTheoQuyDinh: '20261113170000',
      NoiDungXuLy: 'Xin lỗi và hẹn lại ngày trả kết quả: Cần xác minh thông tin chủ doanh nghiệp',
      PhongBanXuLy: 'Sở Kế hoạch và Đầu tư',
    });
    expect(byWhat('Đã xử lý xong')?.NgayKetThucTheoQuyDinh).toBe('20261112090000');
    const created = portal.accepted.find((a) => a.service === 'DongBoHoSoMC' && a.item.MaHoSo === code);
    expect(created?.item.NgayHenTra).toBe('20261105080000');
    expect(portal.refusals).toEqual([]);

    // The center's progress report for November: one dossier received, resolved late.
    const report = await t.api('GET', '/v1/reports/progress?from=2026-11-01&to=2026-11-30&groupBy=department', undefined, center);
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    const row = report.body.rows.find((r: { key: string }) => r.key === DEPT);
    expect(row).toMatchObject({ received: 1, carriedOver: 0, doneEarly: 0, doneOnTime: 0, doneLate: 1, openOnTime: 0, openOverdue: 0, paused: 0, onTimeRate: 0 });
  });
});
