import { describe, expect, it } from 'vitest';
import type { Dossier } from '../../core/model/dossier.js';
import { STATUSES } from '../../core/model/status.js';
import type { TimelineEntry } from '../../core/ports/index.js';
import { fixture } from '../../tests/helpers/fixtures.js';
import { checkedDossier, checkedStep, type TranslationContext } from './translate.js';
import { knownCodes, portalDate } from './wire.js';

const context = (content: Dossier, results: TranslationContext['row']['results'] = []): TranslationContext => ({
  row: { code: content.code, content, results },
  departmentName: 'Sở Kế hoạch và Đầu tư',
  centerName: 'Trung tâm Phục vụ hành chính công tỉnh Lào Cai',
});
const entry = (e: Partial<TimelineEntry> & Pick<TimelineEntry, 'seq' | 'type' | 'status'>): TimelineEntry => ({
  at: '2026-11-28T03:00:00.000Z',
  actor: 'lienthong',
  note: null,
  detail: null,
  ...e,
});
const item = (ctx: TranslationContext, status: (typeof STATUSES)[number] = 'received', returnedAt?: string) => {
  const r = checkedDossier(ctx, status, returnedAt);
  if (!r.ok) throw new Error(r.problems.join('; '));
  return r.item;
};

describe('portal dates', () => {
  it('are yyyyMMddHHmmss in Asia/Ho_Chi_Minh (+07:00), whatever offset the input has', () => {
    expect(portalDate('2026-11-28T09:15:00+07:00')).toBe('20261128091500');
    expect(portalDate('2026-11-28T02:15:00Z')).toBe('20261128091500');
    expect(portalDate('2026-11-28T17:30:05Z')).toBe('20261129003005'); // past midnight in Hà Nội
    expect(portalDate('2026-12-31T20:00:00-05:00')).toBe('20270101080000');
    expect(portalDate(undefined)).toBeUndefined();
  });
});

describe('dossier → portal dossier object', () => {
  const base = fixture('business-registration');

  it('carries the fields of dvcqg-sync.md with the portal formats', () => {
    const d = item(context(base));
    expect(d).toEqual({
      MaHoSo: '000.00.00.H63-261128-0001',
      MaTTHC: '2.001610',
      TenTTHC: 'Đăng ký thành lập doanh nghiệp tư nhân',
      TenLinhVuc: 'Thành lập và phát triển doanh nghiệp',
      KenhThucHien: 1,
      ChuHoSo: 'Nguyễn Thị Lan',
      LoaiDoiTuong: 1,
      MaDoiTuong: '015190001234',
      SoDienThoai: '0912345678',
      Email: 'lan.nguyen@example.vn',
      TrichYeuHoSo: 'Đăng ký thành lập doanh nghiệp tư nhân Hoa Sen',
      NgayTiepNhan: '20261128091500',
      NgayHenTra: '20261203170000',
      TrangThaiHoSo: 2,
      DonViXuLy: 'Sở Kế hoạch và Đầu tư',
      TaiLieuNop: [
        { TepDinhKemId: 'tp1', TenTepDinhKem: 'Giấy đề nghị đăng ký doanh nghiệp', MaThanhPhanHoSo: 'TP1', DuongDanTaiTepTin: 'http://127.0.0.1:9199/files/tp1.pdf' },
        { TepDinhKemId: 'tp2', TenTepDinhKem: 'Bản sao căn cước công dân của chủ doanh nghiệp', MaThanhPhanHoSo: 'TP2', DuongDanTaiTepTin: 'http://127.0.0.1:9199/files/tp2.jpg' },
      ],
      DanhSachLePhi: [{ TenPhiLePhi: 'Lệ phí đăng ký doanh nghiệp', MaPhiLePhi: 'LP01', Gia: 50000 }],
    });
  });

  it('codes channels, applicant types and statuses as JSON integers', () => {
    const channels = (['counter', 'online', 'postal'] as const).map((channel) => item(context({ ...base, channel })).KenhThucHien);
    expect(channels).toEqual([1, 2, 3]);
    const types = (['individual', 'business', 'agency', 'organization'] as const).map((type) => item(context({ ...base, applicant: { ...base.applicant, type } })).LoaiDoiTuong);
    expect(types).toEqual([1, 2, 3, 4]);
    const statuses = STATUSES.map((s) => item(context(base), s, '2026-12-02T10:00:00+07:00').TrangThaiHoSo);
    expect(statuses).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('sends the national procedure code, the summary or else the procedure name, no empty optional field', () => {
    const d = item(context({ ...base, procedure: { ...base.procedure, code: '2.001610.000.00.00.H63', sector: '' }, summary: undefined, applicant: { ...base.applicant, email: undefined } }));
    expect(d.MaTTHC).toBe('2.001610');
    expect(d.TrichYeuHoSo).toBe('Đăng ký thành lập doanh nghiệp tư nhân');
    expect('TenLinhVuc' in d && d.TenLinhVuc !== undefined).toBe(false);
    expect(d.Email).toBeUndefined();
    expect(item(context({ ...base, fees: [] })).DanhSachLePhi).toBeUndefined();
  });

  it('adds the returned date at status 10 and the results with a public link at 9 and 10 only', () => {
    const results = [
      { id: 'kq-1', name: 'Giấy chứng nhận', state: 'pending', sourceUrl: 'https://dkkd.example.vn/gcn/1.pdf' },
      { id: 'kq-2', name: 'Bản sao', url: '/v1/dossiers/x/results/kq-2' },
    ] as unknown as TranslationContext['row']['results'];
    const ctx = context(base, results);
    expect(item(ctx, 'processing').DanhSachGiayToKetQua).toBeUndefined();
    expect(item(ctx, 'resolved')).toMatchObject({ TrangThaiHoSo: 9, DanhSachGiayToKetQua: [{ TenGiayTo: 'Giấy chứng nhận', GiayToId: 'kq-1', DuongDanTepTinKetQua: 'https://dkkd.example.vn/gcn/1.pdf' }] });
    expect(item(ctx, 'resolved').NgayTra).toBeUndefined();
    expect(item(ctx, 'returned', '2026-12-02T03:00:00Z')).toMatchObject({ TrangThaiHoSo: 10, NgayTra: '20261202100000' });
  });

  it('names every field it cannot fill, by its portal name, instead of sending', () => {
    const broken = { ...base, dueAt: undefined, documents: [{ id: 'tp1', name: 'Tờ khai' }] } as Dossier;
    expect(checkedDossier(context(broken), 'processing')).toEqual({ ok: false, problems: ['NgayHenTra: is required', 'TaiLieuNop.0.DuongDanTaiTepTin: is required'] });
    expect(checkedDossier(context(base), 'returned')).toEqual({ ok: false, problems: ['NgayTra: is required once the result is returned (status 10)'] });
  });
});

describe('timeline entry → portal processing step', () => {
  const base = fixture('business-registration');
  const ctx = context(base);
  const step = (e: TimelineEntry, startedAt = base.receivedAt) => {
    const r = checkedStep(ctx, e, startedAt);
    if (!r.ok) throw new Error(r.problems.join('; '));
    return r.item;
  };

  it('says who, when, in which unit and what was done, with the status after the step', () => {
    expect(step(entry({ seq: 1, type: 'received', status: 'received', actor: 'center:quay-1' }))).toEqual({
      MaHoSo: base.code,
      NguoiXuLy: 'quay-1',
      ThoiDiemXuLy: '20261128091500',
      PhongBanXuLy: 'Trung tâm Phục vụ hành chính công tỉnh Lào Cai',
      NoiDungXuLy: 'Tiếp nhận hồ sơ',
      TrangThai: 2,
      NgayBatDau: '20261128091500',
      NgayKetThucTheoQuyDinh: '20261203170000',
    });
    const asked = step(
      entry({ seq: 3, type: 'status_changed', status: 'supplement_requested', actor: 'department:000.00.15.H63', note: 'Thiếu bản sao CCCD', detail: { occurredAt: '2026-11-29T01:00:00Z' } }),
      '2026-11-28T09:20:00+07:00',
    );
    expect(asked).toMatchObject({ NguoiXuLy: 'Sở Kế hoạch và Đầu tư', PhongBanXuLy: 'Sở Kế hoạch và Đầu tư', ThoiDiemXuLy: '20261129080000', NgayBatDau: '20261128092000', NoiDungXuLy: 'Yêu cầu bổ sung giấy tờ: Thiếu bản sao CCCD', TrangThai: 5 });
    expect(step(entry({ seq: 9, type: 'returned', status: 'returned', actor: 'center:quay-2', detail: { at: '2026-12-02T10:00:00+07:00' } }))).toMatchObject({
      NguoiXuLy: 'quay-2',
      ThoiDiemXuLy: '20261202100000',
      NoiDungXuLy: 'Trả kết quả cho người nộp hồ sơ',
      TrangThai: 10,
    });
    // Recorded when it happened at lienthong when the department gave no time of its own.
    expect(step(entry({ seq: 2, type: 'delivered', status: 'processing', actor: 'department:000.00.15.H63', at: '2026-11-28T02:16:00.000Z' })).ThoiDiemXuLy).toBe('20261128091600');
  });
});

describe('TraCuuHoSo answer', () => {
  it('is read defensively', () => {
    expect(knownCodes([{ MaHoSo: 'A' }, { mahoso: 'B' }], ['A', 'B', 'C'])).toEqual(new Set(['A', 'B']));
    expect(knownCodes(['A'], ['A', 'B'])).toEqual(new Set(['A']));
    expect(knownCodes([{ TrangThaiHoSo: 4 }], ['A'])).toEqual(new Set(['A']));
    expect(knownCodes([], ['A'])).toEqual(new Set());
    expect(knownCodes(null, ['A'])).toEqual(new Set());
    expect(knownCodes({ MaHoSo: 'A' }, ['A'])).toEqual(new Set(['A']));
  });
});
