import { z } from 'zod';
import { formatDate } from '../../mappings/helpers.js';
import type { Checked } from '../../core/ports/index.js';
import type { Dossier } from '../../core/model/dossier.js';

/**
 * The national portal's (DVCQG) wire format, all of it: paths' bodies, the
 * `dstcode` header, service names, field names, date and code formats, and how
 * its answers read (docs/portal.md). A change on the portal's
 * side touches this file only.
 */

export const SERVICES = { lookup: 'TraCuuHoSo', sync: 'DongBoHoSoMC', progress: 'CapNhatTienDoHoSoMC' } as const;
export type ServiceName = (typeof SERVICES)[keyof typeof SERVICES];

/** The portal takes at most this many items per call. */
export const MAX_BATCH = 10;

export const requestHeaders = (dstcode: string) => ({
  'content-type': 'application/json; charset=utf-8',
  accept: 'application/json',
  dstcode,
});

export const loginBody = (username: string, password: string) => ({ username, password });

export function serviceBody(call: { session: string; agencyCode: string; service: ServiceName; isUpdating: boolean; data: unknown[] }) {
  return { session: call.session, madonvi: call.agencyCode, service: call.service, isUpdating: call.isUpdating ? 'True' : 'False', data: call.data };
}

/** An answer of the portal: `error_code` 0 is success; any other code comes with a `message`. */
export interface PortalAnswer {
  errorCode: number;
  message: string;
  session?: string;
  result?: unknown;
}

/** The answer in `body`, or undefined when it is not one (no numeric `error_code`). */
export function readAnswer(body: unknown): PortalAnswer | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const code = typeof b.error_code === 'string' && b.error_code.trim() !== '' ? Number(b.error_code) : b.error_code;
  if (typeof code !== 'number' || !Number.isInteger(code)) return undefined;
  return {
    errorCode: code,
    message: typeof b.message === 'string' ? b.message : '',
    ...(typeof b.session === 'string' ? { session: b.session } : {}),
    ...('result' in b ? { result: b.result } : {}),
  };
}

/** A refusal that says the session is invalid or expired: log in again once and repeat. */
export const mentionsSession = (message: string) => /session|phiên/i.test(message);

/**
 * Which of `asked` the `TraCuuHoSo` answer says the portal knows. Read
 * defensively (the public implementations only show that it decides create vs
 * update): a list of objects naming `MaHoSo` (any letter case), a list of
 * codes, or, for a single question, any non-empty list.
 */
export function knownCodes(result: unknown, asked: string[]): Set<string> {
  const list = Array.isArray(result) ? result : result && typeof result === 'object' ? [result] : [];
  const named = list.flatMap((item) => {
    if (typeof item === 'string') return [item];
    if (!item || typeof item !== 'object') return [];
    const key = Object.keys(item).find((k) => k.toLowerCase() === 'mahoso');
    const value = key ? (item as Record<string, unknown>)[key] : undefined;
    return typeof value === 'string' ? [value] : [];
  });
  if (named.length === 0 && list.length > 0 && asked.length === 1) return new Set(asked);
  return new Set(asked.filter((code) => named.includes(code)));
}

/** `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh (UTC+7). */
export const portalDate = (iso: string | undefined) => (iso ? formatDate(iso, 'yyyyMMddHHmmss') : undefined);

export const CHANNEL_CODES = { counter: 1, online: 2, postal: 3 } as const;
export const APPLICANT_TYPE_CODES = { individual: 1, business: 2, agency: 3, organization: 4 } as const;

const text = z.string({ error: 'is required' }).trim().min(1, 'must not be empty');
const date = z.string({ error: 'is required' }).regex(/^\d{14}$/, 'must be a yyyyMMddHHmmss date');
const code = (max: number) => z.number({ error: 'is required' }).int('must be an integer').min(1).max(max);

export const dossierItemSchema = z
  .object({
    MaHoSo: text,
    MaTTHC: z.string({ error: 'is required' }).regex(/^\d\.\d{6}$/, 'must be a national procedure code such as 2.001610'),
    TenTTHC: text,
    MaLinhVuc: text.optional(),
    TenLinhVuc: text.optional(),
    KenhThucHien: code(3),
    ChuHoSo: text,
    LoaiDoiTuong: code(4),
    MaDoiTuong: text.optional(),
    SoDienThoai: text.optional(),
    Email: text.optional(),
    TrichYeuHoSo: text,
    NgayTiepNhan: date,
    NgayHenTra: date,
    TrangThaiHoSo: code(10),
    NgayTra: date.optional(),
    DonViXuLy: text,
    TaiLieuNop: z.array(z.object({ TepDinhKemId: text, TenTepDinhKem: text, MaThanhPhanHoSo: text.optional(), DuongDanTaiTepTin: text })),
    DanhSachLePhi: z.array(z.object({ TenPhiLePhi: text, MaPhiLePhi: text.optional(), Gia: z.number().nonnegative() })).optional(),
    DanhSachGiayToKetQua: z.array(z.object({ TenGiayTo: text, GiayToId: text, DuongDanTepTinKetQua: text })).optional(),
  })
  .refine((d) => d.TrangThaiHoSo !== 10 || d.NgayTra !== undefined, { path: ['NgayTra'], message: 'is required once the result is returned (status 10)' });
export type DossierItem = z.infer<typeof dossierItemSchema>;

export const progressItemSchema = z.object({
  MaHoSo: text,
  NguoiXuLy: text,
  ChucDanh: text.optional(),
  ThoiDiemXuLy: date,
  PhongBanXuLy: text,
  NoiDungXuLy: text,
  TrangThai: code(10),
  NgayBatDau: date,
  NgayKetThucTheoQuyDinh: date,
});
export type ProgressItem = z.infer<typeof progressItemSchema>;

/** Validation result: the item as sent, or each problem as `<portal field>: <what is wrong>` (core's type). */
export type { Checked };

/** What translate.ts hands this file: the dossier as the portal shows it to the citizen. Dates are ISO 8601; codes are the portal's. */
export interface PortalDossier {
  code: string;
  procedureCode: string;
  procedureName: string;
  sectorCode?: string;
  sectorName?: string;
  channel: Dossier['channel'];
  applicantName: string;
  applicantType: Dossier['applicant']['type'];
  applicantId?: string;
  phone?: string;
  email?: string;
  summary: string;
  receivedAt: string;
  dueAt?: string;
  /** TrangThaiHoSo, 1–10. */
  status: number;
  returnedAt?: string;
  /** The handling department's name. */
  department: string;
  documents: Array<{ id: string; name: string; componentCode?: string; url?: string }>;
  fees: Array<{ code: string; name: string; amount: number }>;
  results?: Array<{ id: string; name: string; url?: string }>;
}

/** One processing step (tiến độ xử lý): who did what, when, in which unit. */
export interface PortalStep {
  code: string;
  who: string;
  title?: string;
  at: string;
  unit: string;
  what: string;
  /** Status code after the step. */
  status: number;
  startedAt: string;
  dueAt?: string;
}


function check<T>(schema: z.ZodType<T>, value: unknown): Checked<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, item: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`) };
}

const absentWhenEmpty = <T>(list: T[] | undefined) => (list && list.length ? list : undefined);

/** A translated dossier as the portal's dossier object, validated. */
export function dossierItem(d: PortalDossier): Checked<DossierItem> {
  return check(dossierItemSchema, {
    MaHoSo: d.code,
    MaTTHC: d.procedureCode,
    TenTTHC: d.procedureName,
    MaLinhVuc: d.sectorCode,
    TenLinhVuc: d.sectorName,
    KenhThucHien: CHANNEL_CODES[d.channel],
    ChuHoSo: d.applicantName,
    LoaiDoiTuong: APPLICANT_TYPE_CODES[d.applicantType],
    MaDoiTuong: d.applicantId,
    SoDienThoai: d.phone,
    Email: d.email,
    TrichYeuHoSo: d.summary,
    NgayTiepNhan: portalDate(d.receivedAt),
    NgayHenTra: portalDate(d.dueAt),
    TrangThaiHoSo: d.status,
    NgayTra: portalDate(d.returnedAt),
    DonViXuLy: d.department,
    TaiLieuNop: d.documents.map((x) => ({ TepDinhKemId: x.id, TenTepDinhKem: x.name, MaThanhPhanHoSo: x.componentCode, DuongDanTaiTepTin: x.url })),
    DanhSachLePhi: absentWhenEmpty(d.fees.map((f) => ({ TenPhiLePhi: f.name, MaPhiLePhi: f.code, Gia: f.amount }))),
    DanhSachGiayToKetQua: absentWhenEmpty(d.results?.map((r) => ({ TenGiayTo: r.name, GiayToId: r.id, DuongDanTepTinKetQua: r.url }))),
  });
}

/** A translated timeline step as the portal's progress object, validated. */
export function progressItem(s: PortalStep): Checked<ProgressItem> {
  return check(progressItemSchema, {
    MaHoSo: s.code,
    NguoiXuLy: s.who,
    ChucDanh: s.title,
    ThoiDiemXuLy: portalDate(s.at),
    PhongBanXuLy: s.unit,
    NoiDungXuLy: s.what,
    TrangThai: s.status,
    NgayBatDau: portalDate(s.startedAt),
    NgayKetThucTheoQuyDinh: portalDate(s.dueAt),
  });
}
