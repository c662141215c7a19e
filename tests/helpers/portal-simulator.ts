import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A strict national portal (DVCQG) on a real node:http server, written from
 * the portal's published protocol (docs/portal.md) independently of adapters/portal (a bug there
 * must not be mirrored here). It refuses what the portal refuses: a wrong
 * `dstcode` or `madonvi`, an unknown or expired session, more than 10 items,
 * missing fields, dates not in 14 digits, codes that are not JSON integers in
 * range, a create of a dossier it has, an update of one it lacks, a step for a
 * dossier it lacks or whose status differs, a status going backwards (9 after
 * 10), a step it has already. A refused call changes nothing.
 */

export const PORTAL_ENV = {
  PORTAL_AUTH_PATH: '/api/dvc/login',
  PORTAL_SERVICE_PATH: '/api/dvc/service',
  PORTAL_DSTCODE: 'DST-H63',
  PORTAL_AGENCY_CODE: '000.00.00.H63',
  PORTAL_USERNAME: 'lienthong-h63',
  PORTAL_PASSWORD: 'mat-khau-bi-mat',
};

type Item = Record<string, unknown>;

/** One service call as received, and what the simulator answered. */
export interface SimCall {
  service: string;
  isUpdating: unknown;
  data: Item[];
  at: number;
  errorCode: number;
  message: string;
  httpStatus: number;
}

/** A dossier as the portal holds it. */
export interface SimDossier {
  item: Item;
  status: number;
  steps: Item[];
}

const FINAL = new Set([3, 7, 10]);
/** 1 < 2 < {4,5,6,8} < 9 < 10; 3 and 7 end a dossier before it is resolved. */
const RANK: Record<number, number> = { 1: 0, 2: 1, 4: 2, 5: 2, 6: 2, 8: 2, 3: 2, 7: 2, 9: 3, 10: 4 };

const isText = (v: unknown) => typeof v === 'string' && v.trim() !== '';
const isInt = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
function isDate(v: unknown): boolean {
  if (typeof v !== 'string' || !/^\d{14}$/.test(v)) return false;
  const [y, mo, d, h, mi, s] = [v.slice(0, 4), v.slice(4, 6), v.slice(6, 8), v.slice(8, 10), v.slice(10, 12), v.slice(12, 14)].map(Number) as number[];
  const t = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo! - 1 && t.getUTCDate() === d && h! < 24 && mi! < 60 && s! < 60;
}

function fieldProblems(item: Item, rules: Record<string, 'text' | 'text?' | 'date' | 'date?' | [number, number]>): string[] {
  const out: string[] = [];
  for (const [field, rule] of Object.entries(rules)) {
    const v = item[field];
    if (rule === 'text' && !isText(v)) out.push(`thiếu ${field}`);
    if (rule === 'text?' && v !== undefined && !isText(v)) out.push(`${field} không hợp lệ`);
    if (rule === 'date' && !isDate(v)) out.push(`${field} sai định dạng yyyyMMddHHmmss`);
    if (rule === 'date?' && v !== undefined && !isDate(v)) out.push(`${field} sai định dạng yyyyMMddHHmmss`);
    if (Array.isArray(rule) && !isInt(v, rule[0], rule[1])) out.push(`${field} phải là số nguyên ${rule[0]}–${rule[1]}`);
  }
  return out;
}

function listProblems(value: unknown, field: string, required: boolean, rules: Record<string, 'text' | 'text?'>, extra?: (x: Item) => string[]): string[] {
  if (value === undefined) return required ? [`thiếu ${field}`] : [];
  if (!Array.isArray(value)) return [`${field} phải là danh sách`];
  return value.flatMap((x, i) =>
    x && typeof x === 'object' ? [...fieldProblems(x as Item, rules), ...(extra?.(x as Item) ?? [])].map((p) => `${field}[${i}]: ${p}`) : [`${field}[${i}] không hợp lệ`],
  );
}

function dossierProblems(item: Item): string[] {
  const out = fieldProblems(item, {
    MaHoSo: 'text', MaTTHC: 'text', TenTTHC: 'text', MaLinhVuc: 'text?', TenLinhVuc: 'text?', KenhThucHien: [1, 3], ChuHoSo: 'text',
    LoaiDoiTuong: [1, 4], MaDoiTuong: 'text?', SoDienThoai: 'text?', Email: 'text?', TrichYeuHoSo: 'text', NgayTiepNhan: 'date',
    NgayHenTra: 'date', TrangThaiHoSo: [1, 10], NgayTra: 'date?', DonViXuLy: 'text',
  });
  if (isText(item.MaTTHC) && !/^\d\.\d{6}$/.test(item.MaTTHC as string)) out.push('MaTTHC không đúng mã TTHC quốc gia');
  if (item.TrangThaiHoSo === 10 && item.NgayTra === undefined) out.push('thiếu NgayTra cho hồ sơ đã trả kết quả');
  out.push(...listProblems(item.TaiLieuNop, 'TaiLieuNop', true, { TepDinhKemId: 'text', TenTepDinhKem: 'text', MaThanhPhanHoSo: 'text?', DuongDanTaiTepTin: 'text' }));
  out.push(...listProblems(item.DanhSachLePhi, 'DanhSachLePhi', false, { TenPhiLePhi: 'text', MaPhiLePhi: 'text?' }, (f) => (typeof f.Gia === 'number' && f.Gia >= 0 ? [] : ['Gia phải là số'])));
  out.push(...listProblems(item.DanhSachGiayToKetQua, 'DanhSachGiayToKetQua', false, { TenGiayTo: 'text', GiayToId: 'text', DuongDanTepTinKetQua: 'text' }));
  if (item.DanhSachGiayToKetQua !== undefined && item.TrangThaiHoSo !== 9 && item.TrangThaiHoSo !== 10) out.push('DanhSachGiayToKetQua chỉ gửi khi hồ sơ đã xử lý xong');
  return out;
}

const stepProblems = (item: Item) =>
  fieldProblems(item, {
    MaHoSo: 'text', NguoiXuLy: 'text', ChucDanh: 'text?', ThoiDiemXuLy: 'date', PhongBanXuLy: 'text', NoiDungXuLy: 'text',
    TrangThai: [1, 10], NgayBatDau: 'date', NgayKetThucTheoQuyDinh: 'date',
  });

const stepKey = (s: Item) => JSON.stringify([s.MaHoSo, s.ThoiDiemXuLy, s.NoiDungXuLy, s.TrangThai]);

export async function startPortalSimulator() {
  const dossiers = new Map<string, SimDossier>();
  const sessions = new Map<string, { expired: boolean }>();
  const calls: SimCall[] = [];
  /** Every accepted item, in order, with when it was accepted (Date.now()). */
  const accepted: Array<{ service: string; isUpdating: unknown; item: Item; at: number }> = [];
  const state = {
    logins: 0,
    mode: 'up' as 'up' | 'refused' | '503',
    expiry: '401' as '401' | 'error_code',
    reject: undefined as ((service: string, item: Item) => string | undefined) | undefined,
    delayMs: 0,
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const reply = () => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (state.delayMs) setTimeout(reply, state.delayMs);
    else reply();
  };

  function service(body: Item): { status: number; errorCode: number; message: string; result?: unknown } {
    const refuse = (message: string, errorCode = 1) => ({ status: 200, errorCode, message });
    const session = typeof body.session === 'string' ? sessions.get(body.session) : undefined;
    if (!session || session.expired) {
      return state.expiry === '401' ? { status: 401, errorCode: 401, message: 'Unauthorized' } : refuse('Session không hợp lệ hoặc đã hết hạn', 2);
    }
    if (body.madonvi !== PORTAL_ENV.PORTAL_AGENCY_CODE) return refuse(`madonvi ${String(body.madonvi)} không được cấp quyền`, 3);
    if (body.isUpdating !== 'True' && body.isUpdating !== 'False') return refuse('isUpdating phải là "True" hoặc "False"', 4);
    const data = body.data;
    if (!Array.isArray(data) || data.length === 0) return refuse('data phải là danh sách khác rỗng', 4);
    if (data.length > 10) return refuse('Mỗi lần gửi tối đa 10 bản ghi', 5);
    if (!data.every((x) => x && typeof x === 'object')) return refuse('data chứa phần tử không hợp lệ', 4);
    const items = data as Item[];
    const custom = items.map((x) => state.reject?.(String(body.service), x)).find(Boolean);
    if (custom) return refuse(custom, 9);
    switch (body.service) {
      case 'TraCuuHoSo':
        return { status: 200, errorCode: 0, message: 'OK', result: items.flatMap((x) => (dossiers.has(x.MaHoSo as string) ? [{ MaHoSo: x.MaHoSo, TrangThaiHoSo: dossiers.get(x.MaHoSo as string)!.status }] : [])) };
      case 'DongBoHoSoMC': {
        const updating = body.isUpdating === 'True';
        const seen = new Set<unknown>();
        for (const x of items) {
          const problems = dossierProblems(x);
          if (problems.length) return refuse(`Hồ sơ ${String(x.MaHoSo)}: ${problems.join('; ')}`, 10);
          if (seen.has(x.MaHoSo)) return refuse(`Hồ sơ ${String(x.MaHoSo)} lặp trong cùng một lần gửi`, 11);
          seen.add(x.MaHoSo);
          const known = dossiers.get(x.MaHoSo as string);
          if (!updating && known) return refuse(`Hồ sơ ${String(x.MaHoSo)} đã tồn tại, hãy cập nhật (isUpdating True)`, 12);
          if (updating && !known) return refuse(`Hồ sơ ${String(x.MaHoSo)} chưa tồn tại, không thể cập nhật`, 13);
          const to = x.TrangThaiHoSo as number;
          if (known && to !== known.status && (FINAL.has(known.status) || RANK[to]! < RANK[known.status]!)) {
            return refuse(`Hồ sơ ${String(x.MaHoSo)}: không thể chuyển trạng thái từ ${known.status} về ${to}`, 14);
          }
        }
        for (const x of items) {
          const code = x.MaHoSo as string;
          const known = dossiers.get(code);
          if (known) Object.assign(known, { item: x, status: x.TrangThaiHoSo });
          else dossiers.set(code, { item: x, status: x.TrangThaiHoSo as number, steps: [] });
        }
        return { status: 200, errorCode: 0, message: 'Đồng bộ thành công' };
      }
      case 'CapNhatTienDoHoSoMC': {
        const keys = new Set<string>();
        for (const x of items) {
          const problems = stepProblems(x);
          if (problems.length) return refuse(`Tiến độ hồ sơ ${String(x.MaHoSo)}: ${problems.join('; ')}`, 20);
          const known = dossiers.get(x.MaHoSo as string);
          if (!known) return refuse(`Hồ sơ ${String(x.MaHoSo)} chưa tồn tại, không thể cập nhật tiến độ`, 21);
          if (x.TrangThai !== known.status) return refuse(`Tiến độ hồ sơ ${String(x.MaHoSo)}: trạng thái ${String(x.TrangThai)} khác trạng thái hồ sơ ${known.status}`, 22);
          if (keys.has(stepKey(x)) || known.steps.some((s) => stepKey(s) === stepKey(x))) return refuse(`Tiến độ hồ sơ ${String(x.MaHoSo)} đã tồn tại`, 23);
          keys.add(stepKey(x));
        }
        for (const x of items) dossiers.get(x.MaHoSo as string)!.steps.push(x);
        return { status: 200, errorCode: 0, message: 'Cập nhật tiến độ thành công' };
      }
      default:
        return refuse(`service ${String(body.service)} không tồn tại`, 30);
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse, text: string) {
    if (state.mode === '503') return send(res, 503, { error_code: 503, message: 'Service Unavailable' });
    if (req.method !== 'POST') return send(res, 405, { error_code: 405, message: 'POST only' });
    if (req.headers.dstcode !== PORTAL_ENV.PORTAL_DSTCODE) return send(res, 403, { error_code: 403, message: 'dstcode không hợp lệ' });
    let body: Item;
    try {
      body = JSON.parse(text) as Item;
    } catch {
      return send(res, 400, { error_code: 400, message: 'JSON không hợp lệ' });
    }
    if (req.url === PORTAL_ENV.PORTAL_AUTH_PATH) {
      state.logins++;
      if (body.username !== PORTAL_ENV.PORTAL_USERNAME || body.password !== PORTAL_ENV.PORTAL_PASSWORD) {
        return send(res, 200, { error_code: 1, message: 'Sai tên đăng nhập hoặc mật khẩu' });
      }
      const token = `phien-${state.logins}-${Math.random().toString(36).slice(2)}`;
      sessions.set(token, { expired: false });
      return send(res, 200, { error_code: 0, session: token });
    }
    if (req.url !== PORTAL_ENV.PORTAL_SERVICE_PATH) return send(res, 404, { error_code: 404, message: 'Not Found' });
    const answer = service(body);
    const data = Array.isArray(body.data) ? (body.data as Item[]) : [];
    const at = Date.now();
    calls.push({ service: String(body.service), isUpdating: body.isUpdating, data, at, errorCode: answer.errorCode, message: answer.message, httpStatus: answer.status });
    if (answer.errorCode === 0) for (const item of data) accepted.push({ service: String(body.service), isUpdating: body.isUpdating, item, at });
    send(res, answer.status, { error_code: answer.errorCode, message: answer.message, ...(answer.result ? { result: answer.result } : {}) });
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const closeServer = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  await listen(0);
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    /** The PORTAL_* settings of a lienthong that talks to this simulator. */
    env: { PORTAL_BASE_URL: url, ...PORTAL_ENV } as Record<string, string>,
    dossiers,
    calls,
    accepted,
    get logins() {
      return state.logins;
    },
    /** Refused service calls. */
    get refusals() {
      return calls.filter((c) => c.errorCode !== 0);
    },
    /**
     * What reached the portal for `code`, in order: `create 2`, `update 4`,
     * `step 4` (a processing step and its TrangThai).
     */
    history(code: string): string[] {
      return accepted
        .filter((a) => a.item.MaHoSo === code && a.service !== 'TraCuuHoSo')
        .map((a) =>
          a.service === 'DongBoHoSoMC' ? `${a.isUpdating === 'True' ? 'update' : 'create'} ${String(a.item.TrangThaiHoSo)}` : `step ${String(a.item.TrangThai)}`,
        );
    },
    /** Every session becomes invalid: the next call answers HTTP 401 or a non-zero error_code naming the session. */
    expireSessions(style: '401' | 'error_code' = '401') {
      state.expiry = style;
      for (const s of sessions.values()) s.expired = true;
    },
    /** Refuse the data of calls for which `rule` returns a message (undefined: no rule). */
    rejectWhen(rule: ((service: string, item: Item) => string | undefined) | undefined) {
      state.reject = rule;
    },
    /** Answer every call after `ms`. */
    slow(ms: number) {
      state.delayMs = ms;
    },
    /** Take the portal down: connections refused, or 503 to everything. */
    async down(how: 'refused' | '503') {
      if (how === 'refused' && state.mode !== 'refused') await closeServer();
      if (how === '503' && state.mode === 'refused') await listen(port);
      state.mode = how;
    },
    async up() {
      if (state.mode === 'refused') await listen(port);
      state.mode = 'up';
    },
    async close() {
      if (state.mode !== 'refused') await closeServer();
    },
  };
}

export type PortalSimulator = Awaited<ReturnType<typeof startPortalSimulator>>;
