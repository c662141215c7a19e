import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import type { Dossier } from '../../core/model/dossier.js';
import { startDepartmentServer, type DepartmentServer } from '../helpers/department-server.js';
import { startPortalSimulator, type PortalSimulator } from '../helpers/portal-simulator.js';
import { eventually, restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = path.join(import.meta.dirname, '..', '..', 'test-results', 'console');
export const AXE = path.join(import.meta.dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js');

export const DEPT_A = '000.00.15.H63';
export const DEPT_B = '000.00.16.H63';
/** A department whose system answers only after a minute: its dossier stays queued (delivering) throughout. */
export const DEPT_SLOW = '000.00.17.H63';
/** Dossiers of this procedure are refused by the national portal (until the test lifts it). */
export const REJECTED_PROCEDURE = '1.004227';

const DAY = 86_400_000;
let seq = 0;
/** A canonical dossier of today (UTC+7), numbered `n`. */
export function dossier(procedure: { code: string; name: string }, applicant: string, extra: Partial<Dossier> = {}): Dossier {
  const now = new Date(Date.now() + 7 * 3_600_000);
  const yymmdd = now.toISOString().slice(2, 10).replaceAll('-', '');
  return {
    code: `000.00.00.H63-${yymmdd}-${String(++seq).padStart(4, '0')}`,
    procedure: { ...procedure, sector: 'Thành lập và phát triển doanh nghiệp' },
    channel: 'counter',
    applicant: { type: 'individual', name: applicant, idNumber: '015190001234', phone: '0912345678' },
    summary: 'Hồ sơ thử của bảng điều khiển',
    receivedAt: new Date().toISOString(),
    dueAt: new Date(Date.now() + 5 * 86_400_000).toISOString(),
    documents: [{ id: 'tp1', name: 'Giấy đề nghị', mediaType: 'application/pdf', url: 'http://127.0.0.1:9/files/tp1.pdf' }],
    fees: [],
    data: {},
    ...extra,
  } as Dossier;
}

export interface World {
  t: TestRuntime;
  a: DepartmentServer;
  b: DepartmentServer;
  slow: DepartmentServer;
  portal: PortalSimulator;
  keys: { center: string; deptA: string; portal: string };
  codes: { delivered: string; resolved: string; failed: string; other: string; rejected: string; queued: string };
}

/**
 * A real lienthong on PostgreSQL and Redis, two real REST departments on
 * node:http, the strict portal simulator, and dossiers in every state the
 * console shows: delivered, resolved (with a result), failed, rejected by the portal.
 */
export async function startWorld(): Promise<World> {
  const portal = await startPortalSimulator();
  portal.rejectWhen((service, item) => (service === 'DongBoHoSoMC' && item.MaTTHC === REJECTED_PROCEDURE ? 'Thiếu thông tin người nộp' : undefined));
  const a = await startDepartmentServer((r) => {
    const body = r.body as { maHoSo?: string; nguoiNop?: string };
    if (r.url.startsWith('/files/')) return { status: 200, body: 'PDF' };
    // "Trần Văn Lỗi"'s dossier is refused for good (permanent) until the test fixes the department.
    if (body?.nguoiNop === 'Trần Văn Lỗi') return { status: 400, body: { message: 'thiếu mã ngành' } };
    return { status: 201, body: { id: `DN-${body?.maHoSo ?? 'x'}` } };
  });
  const b = await startDepartmentServer((r) => ({ status: 201, body: { id: `TP-${(r.body as { maHoSo?: string })?.maHoSo ?? 'x'}` } }));
  // Only the dossier itself is slow: a connection check (alerts' department_down) is answered at once.
  const slow = await startDepartmentServer((r) => (r.method === 'POST' ? { status: 201, body: { id: 'XD-1' }, delayMs: 120_000 } : { status: 200, body: {} }));
  const t = await startTestRuntime({
    store: 'postgres',
    env: {
      ...portal.env,
      PORTAL_POLL_MS: '50',
      PORTAL_BACKOFF_MS: '50',
      PORTAL_BACKOFF_MAX_MS: '300',
      PORTAL_TIMEOUT_MS: '2000',
      DELIVERY_ATTEMPTS: '2',
      CONSOLE_TRUST_PROXY: 'true',
    },
  });
  const put = async (id: string, body: unknown) => {
    const res = await t.api('PUT', `/v1/departments/${id}`, body);
    if (res.status !== 201) throw new Error(`department ${id}: ${JSON.stringify(res.body)}`);
  };
  await put(
    DEPT_A,
    restDepartment(a.url, ['2.001610', REJECTED_PROCEDURE], {
      callback: { event: '{"reference": applicationId, "status": state, "note": note, "occurredAt": at, "results": ketQua}' },
    }),
  );
  await put(DEPT_B, { ...restDepartment(b.url, ['1.001612']), name: 'Sở Tư pháp' });
  const slowConfig = restDepartment(slow.url, ['1.009999']) as { transport: Record<string, unknown> };
  await put(DEPT_SLOW, { ...slowConfig, name: 'Sở Xây dựng', transport: { ...slowConfig.transport, timeoutMs: 120_000 } });
  await t.runtime.refreshDepartments();
  const keys = {
    center: await t.key('center', 'quay-1'),
    deptA: await t.key('department', 'skhdt-it', DEPT_A),
    portal: await t.key('portal', 'dvcqg'),
  };
  const business = { code: '2.001610', name: 'Đăng ký thành lập doanh nghiệp tư nhân' };
  const submit = async (d: Dossier) => {
    const res = await t.api('POST', '/v1/dossiers', d, keys.center);
    if (res.status !== 202) throw new Error(`submit: ${JSON.stringify(res.body)}`);
    return d.code;
  };
  const codes = {
    // Overdue (quá hạn): received ten days ago, due two days ago.
    delivered: await submit(dossier(business, 'Nguyễn Thị Lan', { receivedAt: new Date(Date.now() - 10 * DAY).toISOString(), dueAt: new Date(Date.now() - 2 * DAY).toISOString() })),
    resolved: await submit(dossier(business, 'Lê Văn Hùng')),
    failed: await submit(dossier(business, 'Trần Văn Lỗi')),
    // Due soon (sắp đến hạn): due in two hours, so today or the next day, never past the next working day.
    other: await submit(dossier({ code: '1.001612', name: 'Cấp phiếu lý lịch tư pháp' }, 'Phạm Thị Mai', { dueAt: new Date(Date.now() + 2 * 3_600_000).toISOString() })),
    rejected: await submit(dossier({ code: REJECTED_PROCEDURE, name: 'Đăng ký hộ kinh doanh' }, 'Đỗ Minh Tuấn')),
    queued: await submit(dossier({ code: '1.009999', name: 'Cấp giấy phép xây dựng' }, 'Vũ Thị Hoa')),
  };
  await eventually(() => slow.received.length > 0, 15_000);
  const get = async (code: string) => (await t.api('GET', `/v1/dossiers/${code}`)).body;
  for (const code of [codes.delivered, codes.resolved, codes.other, codes.rejected]) await eventually(async () => (await get(code)).status === 'processing', 15_000);
  await eventually(async () => (await get(codes.failed)).delivery?.state === 'failed', 15_000);
  await eventually(async () => (await get(codes.rejected)).portal.state === 'rejected', 15_000);
  // The department resolves one dossier, with a result document the gateway pulls in.
  const ev = await t.api(
    'POST',
    `/v1/departments/${DEPT_A}/events`,
    {
      applicationId: `DN-${codes.resolved}`,
      state: 'DA_XU_LY',
      at: new Date().toISOString(),
      note: 'Đã cấp giấy chứng nhận',
      ketQua: [{ name: 'Giấy chứng nhận đăng ký doanh nghiệp', url: `${a.url}/files/gcn.pdf`, mediaType: 'application/pdf' }],
    },
    keys.deptA,
  );
  if (!ev.body?.applied) throw new Error(`event: ${JSON.stringify(ev.body)}`);
  await eventually(async () => (await get(codes.resolved)).results?.[0]?.id, 15_000);
  return { t, a, b, slow, portal, keys, codes };
}

export async function stopWorld(w: Partial<World> | undefined) {
  // The slow department first: its pending answer would hold the workers' shutdown.
  await w?.slow?.close();
  await w?.t?.stop();
  await w?.a?.close();
  await w?.b?.close();
  await w?.portal?.close();
}

/**
 * A page in a browser context of its own (its own cookies: one signed-in
 * person each) that records every URL it requests (to prove none leaves the
 * gateway's origin).
 */
export async function recordingPage(browser: Browser, seen: string[]): Promise<Page> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    seen.push(r.url());
    void r.continue();
  });
  return page;
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) as `${string}.png`, fullPage: true });
}

/** axe-core on the page: WCAG 2 A and AA rules (labels, contrast, keyboard among them). */
export async function axeViolations(page: Page): Promise<Array<{ id: string; help: string; nodes: number; targets: string[] }>> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    const r = await axe.run((globalThis as any).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.length, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
}

export async function signIn(page: Page, base: string, key: string) {
  await page.goto(`${base}/console/login`);
  await page.type('#key', key);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
}
