import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../core/config.js';
import { silentLogger } from '../../core/logger.js';
import { Runtime } from '../../runtime/runtime.js';
import type { Dossier } from '../../core/model/dossier.js';
import { startDepartmentServer, type DepartmentServer } from '../helpers/department-server.js';
import { fixture, fixtures, withCode } from '../helpers/fixtures.js';
import { startPortalSimulator, type PortalSimulator } from '../helpers/portal-simulator.js';
import { ADMIN_KEY, eventually, REDIS_URL, restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

/**
 * National portal sync end to end: a real lienthong (real Redis, PGlite and
 * PostgreSQL), a real REST department, and the strict portal simulator.
 */
describe.each(['pglite', 'postgres'] as const)('national portal sync (%s)', (store) => {
  const DEPT = '000.00.15.H63';
  const DEPT_NAME = 'Sở Kế hoạch và Đầu tư';
  let portal: PortalSimulator;
  let department: DepartmentServer;
  let t: TestRuntime;
  let portalKey: string;
  let departmentKey: string;
  let seq = store === 'pglite' ? 700 : 800;
  const PORTAL_TUNING = { PORTAL_POLL_MS: '50', PORTAL_BACKOFF_MS: '50', PORTAL_BACKOFF_MAX_MS: '300', PORTAL_TIMEOUT_MS: '2000' };

  beforeAll(async () => {
    portal = await startPortalSimulator();
    department = await startDepartmentServer((r) => ({ status: 201, body: { id: `DN-${(r.body as { maHoSo: string }).maHoSo}` } }));
    t = await startTestRuntime({
      store,
      env: { ...portal.env, ...PORTAL_TUNING },
    });
    const procedures = Object.values(fixtures()).map((d) => d.procedure.code);
    const config = restDepartment(department.url, procedures, {
      callback: { event: '{"reference": applicationId, "status": state, "note": note, "occurredAt": at, "results": ketQua}' },
    });
    expect((await t.api('PUT', `/v1/departments/${DEPT}`, config)).status).toBe(201);
    await t.runtime.refreshDepartments();
    portalKey = await t.key('portal', 'dvcqg');
    departmentKey = await t.key('department', 'skhdt', DEPT);
  });
  afterAll(async () => {
    await t?.stop();
    await department?.close();
    await portal?.close();
  });

  const get = async (code: string, key?: string) => (await t.api('GET', `/v1/dossiers/${code}`, undefined, key)).body;
  const submit = async (name = 'business-registration', change: (d: Dossier) => void = () => {}) => {
    const dossier = withCode(fixture(name), ++seq);
    change(dossier);
    const res = await t.api('POST', '/v1/dossiers', dossier);
    expect(res.status).toBe(202);
    return dossier.code;
  };
  const event = async (code: string, state: string, at: string, extra: Record<string, unknown> = {}) => {
    const res = await t.api('POST', `/v1/departments/${DEPT}/events`, { applicationId: `DN-${code}`, state, at, ...extra }, departmentKey);
    expect(res.body).toMatchObject({ applied: true });
  };
  const portalState = (code: string, state: string) =>
    eventually(async () => {
      const d = await get(code);
      return d.portal.state === state && d;
    }, 15_000);
  const delivered = (code: string) => eventually(async () => (await get(code)).status === 'processing');

  /** processing → supplement_requested → processing → resolved → returned. */
  async function journey(code: string) {
    await delivered(code);
    await event(code, 'YEU_CAU_BO_SUNG', '2026-11-29T08:00:00+07:00', { note: 'Bổ sung bản sao CCCD' });
    await event(code, 'DANG_XU_LY', '2026-11-30T09:30:00+07:00');
    await event(code, 'DA_XU_LY', '2026-12-01T16:45:00+07:00', { ketQua: [{ name: 'Giấy chứng nhận đăng ký doanh nghiệp', url: 'https://kq.example.vn/gcn.pdf' }] });
    expect((await t.api('POST', `/v1/dossiers/${code}/returned`, { at: '2026-12-02T10:00:00+07:00' })).status).toBe(200);
  }
  const JOURNEY = ['create 2', 'step 2', 'update 4', 'step 4', 'update 5', 'step 5', 'update 4', 'step 4', 'update 9', 'step 9', 'update 10', 'step 10'];
  const refusedFor = (code: string) => portal.refusals.filter((c) => c.data.some((x) => x.MaHoSo === code));

  it('(a) one create, then every status change and step in order, with the portal codes and dates', async () => {
    const code = await submit();
    expect((await get(code)).portal.state).toBe('pending');
    await journey(code);
    const done = await portalState(code, 'synced');
    expect(done.status).toBe('returned');
    expect(Date.parse(done.portal.syncedAt)).toBeGreaterThan(0);
    expect(portal.history(code)).toEqual(JOURNEY);
    expect(refusedFor(code)).toEqual([]);

    const held = portal.dossiers.get(code)!;
    expect(held.item).toMatchObject({
      MaHoSo: code,
      MaTTHC: '2.001610',
      TenTTHC: 'Đăng ký thành lập doanh nghiệp tư nhân',
      TenLinhVuc: 'Thành lập và phát triển doanh nghiệp',
      KenhThucHien: 1,
      ChuHoSo: 'Nguyễn Thị Lan',
      LoaiDoiTuong: 1,
      MaDoiTuong: '015190001234',
      TrichYeuHoSo: 'Đăng ký thành lập doanh nghiệp tư nhân Hoa Sen',
      NgayTiepNhan: '20261128091500',
      NgayHenTra: '20261203170000',
      NgayTra: '20261202100000',
      TrangThaiHoSo: 10,
      DonViXuLy: DEPT_NAME,
      DanhSachLePhi: [{ TenPhiLePhi: 'Lệ phí đăng ký doanh nghiệp', MaPhiLePhi: 'LP01', Gia: 50000 }],
      DanhSachGiayToKetQua: [{ TenGiayTo: 'Giấy chứng nhận đăng ký doanh nghiệp', GiayToId: expect.any(String), DuongDanTepTinKetQua: 'https://kq.example.vn/gcn.pdf' }],
    });
    expect(held.item.TaiLieuNop).toEqual([
      { TepDinhKemId: 'tp1', TenTepDinhKem: 'Giấy đề nghị đăng ký doanh nghiệp', MaThanhPhanHoSo: 'TP1', DuongDanTaiTepTin: 'http://127.0.0.1:9199/files/tp1.pdf' },
      { TepDinhKemId: 'tp2', TenTepDinhKem: 'Bản sao căn cước công dân của chủ doanh nghiệp', MaThanhPhanHoSo: 'TP2', DuongDanTaiTepTin: 'http://127.0.0.1:9199/files/tp2.jpg' },
    ]);
    const steps = held.steps;
    expect(steps.map((s) => s.TrangThai)).toEqual([2, 4, 5, 4, 9, 10]);
    expect(steps[0]).toMatchObject({ ThoiDiemXuLy: '20261128091500', NoiDungXuLy: 'Tiếp nhận hồ sơ', PhongBanXuLy: 'Trung tâm Phục vụ hành chính công', NgayKetThucTheoQuyDinh: '20261203170000' });
    expect(steps[1]).toMatchObject({ NguoiXuLy: DEPT_NAME, PhongBanXuLy: DEPT_NAME, NgayBatDau: '20261128091500' });
    expect(steps[2]).toMatchObject({ ThoiDiemXuLy: '20261129080000', NoiDungXuLy: 'Yêu cầu bổ sung giấy tờ: Bổ sung bản sao CCCD', NguoiXuLy: DEPT_NAME });
    expect(steps[3]).toMatchObject({ ThoiDiemXuLy: '20261130093000', NgayBatDau: '20261129080000', NoiDungXuLy: 'Đang xử lý' });
    expect(steps[4]).toMatchObject({ ThoiDiemXuLy: '20261201164500', NoiDungXuLy: 'Đã xử lý xong' });
    expect(steps[5]).toMatchObject({ ThoiDiemXuLy: '20261202100000', NoiDungXuLy: 'Trả kết quả cho người nộp hồ sơ', PhongBanXuLy: 'Trung tâm Phục vụ hành chính công' });
    // Every call carried at most 10 items; one log-in served them all.
    expect(Math.max(...portal.calls.map((c) => c.data.length))).toBeLessThanOrEqual(10);

    // The portal's own key reads the status, without personal data.
    const seen = await get(code, portalKey);
    expect(seen).toMatchObject({ code, status: 'returned', statusCode: 10, portal: { state: 'synced' } });
    expect(seen.applicant).toBeUndefined();
  });

  it('(b) a portal down for the whole run (refused, then 503) gets everything afterwards, in order, nothing refused', async () => {
    await portal.down('refused');
    const code = await submit();
    await delivered(code);
    const waiting = await eventually(async () => {
      const d = await get(code);
      return d.portal.message?.includes("refused") && d;
    });
    expect(waiting.portal.state).toBe('pending');
    await portal.down('503');
    await journey(code);
    await eventually(async () => (await get(code)).portal.message?.includes('503'));
    expect(portal.history(code)).toEqual([]);
    await portal.up();
    const done = await portalState(code, 'synced');
    expect(done.portal.message).toBeUndefined();
    expect(portal.history(code)).toEqual(JOURNEY);
    expect(refusedFor(code)).toEqual([]);
  });

  it('(c) an expired session costs exactly one new log-in (HTTP 401 or an error_code about the session)', async () => {
    for (const style of ['401', 'error_code'] as const) {
      const before = portal.logins;
      portal.expireSessions(style);
      const code = await submit();
      await portalState(code, 'synced');
      await delivered(code);
      await eventually(() => portal.history(code).length === 4);
      expect(portal.logins).toBe(before + 1);
      expect(portal.history(code)).toEqual(JOURNEY.slice(0, 4));
    }
  });

  it('(d) a rejection is kept with the portal message; resent after the fix, everything arrives', async () => {
    const refusal = 'Mã TTHC 1.004227 chưa được công bố trên Cơ sở dữ liệu quốc gia về TTHC';
    portal.rejectWhen((service, item) => (service === 'DongBoHoSoMC' && item.MaTTHC === '1.004227' ? refusal : undefined));
    const code = await submit('land-certificate');
    const rejected = await portalState(code, 'rejected');
    expect(rejected.portal.message).toBe(`DongBoHoSoMC: ${refusal}`);
    expect(rejected.events.find((e: { type: string }) => e.type === 'portal_rejected')).toMatchObject({ note: `DongBoHoSoMC: ${refusal}` });
    // Later changes wait with it: nothing is sent for a dossier the portal refused.
    await delivered(code);
    await event(code, 'YEU_CAU_BO_SUNG', '2026-11-29T08:00:00+07:00');
    expect((await get(code)).portal.state).toBe('rejected');
    // Proof without a fixed wait: a dossier submitted after that change is synced,
    // so the pushers have run since; they sent nothing for the refused one.
    await portalState(await submit(), 'synced');
    expect((await get(code)).portal.state).toBe('rejected');
    expect(portal.history(code)).toEqual([]);

    const centerKey = await t.key('center', `quay-${store}`);
    expect((await t.api('POST', `/v1/dossiers/${code}/portal/resend`, undefined, centerKey)).status).toBe(403);
    portal.rejectWhen(undefined);
    const resent = await t.api('POST', `/v1/dossiers/${code}/portal/resend`);
    expect(resent.status).toBe(202);
    expect(resent.body.portal.state).toBe('pending');
    await portalState(code, 'synced');
    expect(portal.history(code)).toEqual(['create 2', 'step 2', 'update 4', 'step 4', 'update 5', 'step 5']);
    expect((await t.api('POST', `/v1/dossiers/${code}/portal/resend`)).status).toBe(409);
  });

  it('(d) a dossier that cannot be translated is marked, naming what is wrong, and not sent', async () => {
    const calls = portal.calls.length;
    const code = await submit('birth-registration', (d) => {
      delete d.dueAt;
      delete d.documents[0]!.url;
    });
    const rejected = await portalState(code, 'rejected');
    expect(rejected.portal.message).toContain('NgayHenTra: is required');
    expect(rejected.portal.message).toContain('TaiLieuNop.0.DuongDanTaiTepTin: is required');
    expect(portal.calls.slice(calls).filter((c) => c.data.some((x) => x.MaHoSo === code))).toEqual([]);
  });

  it('(e) resync twice: whole dossiers again as updates, no step twice, nothing refused', async () => {
    const code = await submit();
    await journey(code);
    await portalState(code, 'synced');
    const refusals = portal.refusals.length;
    for (const round of [1, 2]) {
      const res = await t.api('POST', '/v1/portal/resync', { since: '2026-01-01' });
      expect(res.status).toBe(202);
      expect(res.body.marked).toBeGreaterThanOrEqual(5);
      await eventually(async () => (await t.api('GET', '/v1/portal')).body.pending === 0, 15_000);
      expect(portal.history(code)).toEqual([...JOURNEY, ...Array(round).fill('update 10')]);
    }
    expect(portal.refusals.slice(refusals).every((c) => c.data.every((x) => x.MaHoSo !== code))).toBe(true);
    // Only the dossier that cannot be translated is refused again, by us, not by the portal.
    expect(portal.refusals.length).toBe(refusals);
    expect((await t.api('POST', '/v1/portal/resync', { since: 'last week' })).status).toBe(422);
    expect((await t.api('POST', '/v1/portal/resync', { since: '2026-01-01' }, portalKey)).status).toBe(403);
  });

  it('(f) two worker processes on one store: each dossier pushed by one at a time, all in order', async () => {
    const second = await Runtime.create({
      settings: loadSettings({ REDIS_URL, ADMIN_API_KEY: ADMIN_KEY, QUEUE_PREFIX: t.prefix, LOG_LEVEL: 'silent', ...portal.env, ...PORTAL_TUNING }),
      role: 'worker',
      logger: silentLogger,
      db: t.runtime.db,
    });
    await second.start();
    try {
      const codes = await Promise.all(Array.from({ length: 12 }, () => submit()));
      await Promise.all(codes.map((code) => journey(code)));
      for (const code of codes) await portalState(code, 'synced');
      for (const code of codes) expect(portal.history(code)).toEqual(JOURNEY);
      expect(portal.refusals.filter((c) => c.data.some((x) => codes.includes(x.MaHoSo as string)))).toEqual([]);
    } finally {
      await second.stop();
    }
  });
});

describe('national portal sync off', () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await startTestRuntime();
  });
  afterAll(() => t?.stop());

  it('shows portal.state off and refuses portal actions', async () => {
    expect((await t.api('GET', '/v1/portal')).body).toEqual({ enabled: false });
    expect((await t.api('POST', '/v1/portal/resync', { since: '2026-01-01' })).status).toBe(409);
    expect((await t.api('POST', '/v1/dossiers/000.00.00.H63-261128-0001/portal/resend')).status).toBe(409);
  });
});
