import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A department's own case-handling system, built in so that a newcomer can
 * follow a dossier end to end with nothing else installed
 * (`npx lienthong demo-department`). It speaks REST in its own Vietnamese
 * words, not lienthong's: it answers `submit` with its own receipt number
 * (*số biên nhận*, e.g. `SKHDT-261128-0001`), and later calls the gateway
 * back with status changes that carry that number, as a real department
 * system would:
 *
 *   submit      → after `delayMs`: DANG_XU_LY (a progress note), then YEU_CAU_BO_SUNG
 *   supplement  → after `delayMs`: DANG_XU_LY, then DA_XU_LY (resolved)
 *   withdraw    → DA_RUT
 *
 * `demoDepartmentConfig` is the registration that maps those words.
 */

/** The agency code the demo registers as (Sở Kế hoạch và Đầu tư of the sample province). */
export const DEMO_DEPARTMENT_ID = '000.00.15.H63';
const TOKEN = 'demo-department-token';

/** Procedures of samples/dossiers/, all routed to the demo so any sample can be tried. */
export const DEMO_PROCEDURES = ['2.001610', '1.004227', '1.001193', '1.009794', '2.000505', '1.002809', '2.000591', '1.000105'];

/** The department registration (PUT /v1/departments/{id}) for a demo listening at `baseUrl`. */
export function demoDepartmentConfig(baseUrl: string) {
  return {
    name: 'Sở Kế hoạch và Đầu tư (hệ thống thử nghiệm)',
    procedures: DEMO_PROCEDURES,
    transport: { type: 'rest', baseUrl, auth: { type: 'bearer', token: TOKEN }, timeoutMs: 10000 },
    operations: {
      submit: {
        method: 'POST',
        path: '/applications',
        request: '{"maHoSo": dossier.code, "thuTuc": dossier.procedure.code, "nguoiNop": dossier.applicant.name, "trichYeu": dossier.summary}',
        reference: 'soBienNhan',
      },
      supplement: { method: 'POST', path: '/applications/{reference}/supplements', request: '{"ghiChu": supplement.note}' },
      withdraw: { method: 'DELETE', path: '/applications/{reference}' },
    },
    callback: { event: '{"reference": soBienNhan, "status": trangThai, "note": ghiChu, "occurredAt": thoiGian}' },
    statusMap: { DANG_XU_LY: 'processing', YEU_CAU_BO_SUNG: 'supplement_requested', DA_XU_LY: 'resolved', DA_RUT: 'withdrawn' },
  };
}

export interface DemoDepartmentOptions {
  port: number;
  host?: string;
  /** The gateway to call back, e.g. http://127.0.0.1:8080. */
  gatewayUrl: string;
  /** A key that may post this department's events (its department key, or an admin key). */
  callbackKey: string;
  departmentId?: string;
  /** Time between the steps of a scenario. */
  delayMs?: number;
  /** One line per thing that happens (no personal data: codes and receipt numbers only). */
  log?: (line: string) => void;
}

interface Application {
  reference: string;
  dossierCode: string;
  status: string;
}

/** Now in UTC+7 (Asia/Ho_Chi_Minh), ISO 8601 with its offset, as department systems write it. */
function vietnamNow(): string {
  return `${new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;
}

async function readJson(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
};

export async function startDemoDepartment(options: DemoDepartmentOptions): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const id = options.departmentId ?? DEMO_DEPARTMENT_ID;
  const delay = options.delayMs ?? 2000;
  const log = options.log ?? ((line: string) => console.log(line));
  const byReference = new Map<string, Application>();
  const byIdempotencyKey = new Map<string, string>();
  const timers = new Set<NodeJS.Timeout>();
  let seq = 0;

  /** POST the event to the gateway; a dossier the gateway does not know by that reference yet is tried again. */
  async function callBack(app: Application, trangThai: string, ghiChu: string, attempt = 1): Promise<void> {
    const body = { soBienNhan: app.reference, trangThai, ghiChu, thoiGian: vietnamNow() };
    try {
      const res = await fetch(`${options.gatewayUrl.replace(/\/$/, '')}/v1/departments/${encodeURIComponent(id)}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.callbackKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answer = (await res.json().catch(() => ({}))) as { status?: string; applied?: boolean; reason?: string; detail?: string };
      if (res.status === 404 && attempt < 5) return later(() => callBack(app, trangThai, ghiChu, attempt + 1), delay);
      app.status = trangThai;
      log(
        `→ callback ${JSON.stringify(body)}: HTTP ${res.status}` +
          (res.ok ? ` ${answer.status}${answer.applied ? '' : ` (not applied: ${answer.reason})`}` : ` ${answer.detail ?? ''}`),
      );
    } catch (err) {
      log(`→ callback ${app.reference} ${trangThai} failed: ${(err as Error).message} (is the gateway at ${options.gatewayUrl}?)`);
    }
  }

  function later(fn: () => Promise<void>, ms: number): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      void fn();
    }, ms);
    timers.add(timer);
  }

  /** Steps one after another, `delay` apart. */
  function scenario(app: Application, steps: Array<[string, string]>): void {
    const run = (i: number) => {
      const step = steps[i];
      if (!step) return;
      later(async () => {
        await callBack(app, step[0], step[1]);
        run(i + 1);
      }, delay);
    };
    run(0);
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://demo');
      if (req.method === 'HEAD' || (req.method === 'GET' && url.pathname === '/')) return send(res, 200, { name: 'demo department', id });
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(res, 401, { loi: 'Sai mã xác thực' });
      const body = await readJson(req).catch(() => undefined);
      if (body === undefined) return send(res, 400, { loi: 'Dữ liệu không phải JSON' });
      const match = /^\/applications(?:\/([^/]+))?(\/supplements)?$/.exec(url.pathname);
      if (!match) return send(res, 404, { loi: 'Không có đường dẫn này' });
      const [, ref, supplements] = match;
      if (!ref && req.method === 'POST') {
        const key = String(req.headers['idempotency-key'] ?? '');
        const known = byIdempotencyKey.get(key);
        if (known) return send(res, 200, { soBienNhan: known, trangThai: 'TIEP_NHAN' });
        if (typeof body.maHoSo !== 'string') return send(res, 422, { loi: 'Thiếu mã hồ sơ (maHoSo)' });
        const code = body.maHoSo as string;
        const reference = `SKHDT-${code.split('-')[1] ?? '000000'}-${String(++seq).padStart(4, '0')}`;
        const app: Application = { reference, dossierCode: code, status: 'TIEP_NHAN' };
        byReference.set(reference, app);
        if (key) byIdempotencyKey.set(key, reference);
        log(`← submit ${code}: our receipt number is ${reference}`);
        send(res, 201, { soBienNhan: reference, trangThai: 'TIEP_NHAN' });
        return scenario(app, [
          ['DANG_XU_LY', 'Đã phân công chuyên viên thụ lý'],
          ['YEU_CAU_BO_SUNG', 'Đề nghị bổ sung bản sao căn cước công dân'],
        ]);
      }
      const app = ref ? byReference.get(decodeURIComponent(ref)) : undefined;
      if (!app) return send(res, 404, { loi: `Không tìm thấy hồ sơ ${ref ?? ''}` });
      if (supplements && req.method === 'POST') {
        log(`← supplement for ${app.reference} (${app.dossierCode})`);
        send(res, 202, { soBienNhan: app.reference, trangThai: 'DA_NHAN_BO_SUNG' });
        return scenario(app, [
          ['DANG_XU_LY', 'Đã nhận hồ sơ bổ sung, tiếp tục giải quyết'],
          ['DA_XU_LY', 'Đã cấp Giấy chứng nhận, mời nhận kết quả tại Trung tâm'],
        ]);
      }
      if (!supplements && req.method === 'DELETE') {
        log(`← withdraw ${app.reference} (${app.dossierCode})`);
        send(res, 200, { soBienNhan: app.reference, trangThai: 'DA_RUT' });
        return scenario(app, [['DA_RUT', 'Người nộp đã rút hồ sơ']]);
      }
      if (!supplements && req.method === 'GET') return send(res, 200, { soBienNhan: app.reference, trangThai: app.status });
      send(res, 405, { loi: 'Phương thức không được hỗ trợ' });
    })().catch((err: Error) => {
      if (!res.headersSent) send(res, 500, { loi: err.message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    server,
    async close() {
      for (const t of timers) clearTimeout(t);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
