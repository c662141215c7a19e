import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthToDate } from '../../core/use-cases/console-follow-up.js';
import { ADMIN_KEY, eventually } from '../helpers/runtime.js';
import { CHROMIUM, DEPT_A, DEPT_B, axeViolations, dossier, recordingPage, screenshot, signIn, startWorld, stopWorld, type World } from './console-setup.js';

/**
 * The operator console in a real Chromium (puppeteer-core), against a real
 * lienthong on PostgreSQL and Redis with real REST departments and the portal
 * simulator. Every page is screenshot to test-results/console/.
 */
const suite = existsSync(CHROMIUM) ? describe : describe.skip;
const title = existsSync(CHROMIUM)
  ? 'operator console in Chromium'
  : `operator console in Chromium: SKIPPED, ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run does it)`;

suite(title, () => {
  let w: World;
  let browser: Browser;
  const seen: string[] = [];
  let page: Page;

  beforeAll(async () => {
    w = await startWorld();
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    page = await recordingPage(browser, seen);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await stopWorld(w);
  }, 60_000);

  const text = (p: Page = page) => p.evaluate(() => (globalThis as any).document.body.innerText);
  const goto = async (path: string, p: Page = page) => {
    const res = await p.goto(`${w.t.base}${path}`);
    return res?.status();
  };
  /** Accessibility: no WCAG A/AA violation (labels, color contrast, keyboard and focus rules among them). */
  const accessible = async (p: Page = page) => expect(await axeViolations(p)).toEqual([]);
  const clickAndWait = (selector: string, p: Page = page) => Promise.all([p.waitForNavigation(), p.click(selector)]);
  /** The number of the overview's count labelled `label`. */
  const stat = (label: string, p: Page = page) =>
    p.$$eval('.stats .stat a', (as, l) => as.find((a) => (a.textContent ?? '').includes(l as string))?.querySelector('.n')?.textContent ?? null, label);
  const rowCodes = (p: Page = page) => p.$$eval('tbody tr', (rows) => rows.map((r) => r.querySelector('a')?.textContent));

  it('a page without a session goes to the sign-in page; the sign-in page is accessible', async () => {
    await goto('/console/dossiers');
    expect(new URL(page.url()).pathname).toBe('/console/login');
    expect(await text()).toContain('Đăng nhập bảng điều khiển');
    await screenshot(page, '01-dang-nhap');
    await accessible();
  });

  it('a portal key cannot sign in', async () => {
    await signIn(page, w.t.base, w.keys.portal);
    expect(new URL(page.url()).pathname).toBe('/console/login');
    expect(await text()).toContain('vai trò DVCQG (portal) không được đăng nhập');
  });

  it('center: Tổng quan shows the real counts and server-drawn charts with their numbers as tables', async () => {
    await signIn(page, w.t.base, w.keys.center);
    expect(new URL(page.url()).pathname).toBe('/console');
    const cookie = (await page.cookies()).find((c) => c.name === 'lienthong_console');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false, path: '/console' });
    const body = await text();
    // 6 dossiers, one resolved: 5 open; one failed delivery; one queued for the slow department.
    expect(await stat('Hồ sơ đang mở')).toBe('5');
    expect(body).toContain('Hồ sơ đang mở');
    expect(await stat('Lần gửi lỗi cần xử lý')).toBe('1');
    // One dossier due two days ago, one due in two hours (the ?deadline= rule of the API).
    expect(await stat('Hồ sơ quá hạn')).toBe('1');
    expect(await stat('Hồ sơ sắp đến hạn')).toBe('1');
    expect(await page.$$eval('figure .chart svg', (s) => s.length)).toBeGreaterThanOrEqual(1);
    // Today's row of the daily table: 5 received, 1 resolved.
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10).split('-').reverse().join('/');
    const row = await page.$$eval('#theo-ngay-cap ~ details tbody tr', (rows, d) => rows.map((r) => r.textContent ?? '').find((t) => t.startsWith(d as string)), today);
    expect(row).toBe(`${today}61`);
    const queued = await page.$$eval('#hang-doi-cap ~ details tbody tr', (rows) => rows.map((r) => r.textContent));
    expect(queued).toEqual(['Sở Xây dựng1']);
    // Received/resolved, on-time rate per department (this month's progress report), queued.
    expect(await page.$$eval('figure .chart svg', (s) => s.length)).toBe(3);
    const { from, to } = monthToDate(new Date());
    const report = (await w.t.api('GET', `/v1/reports/progress?from=${from}&to=${to}&groupBy=department`, undefined, w.keys.center)).body;
    const rates = await page.$$eval('#dung-han-cap ~ details tbody tr', (rows) => rows.map((r) => Array.from(r.children as ArrayLike<{ textContent: string | null }>).map((c) => c.textContent)));
    expect(rates).toEqual(
      report.rows
        .filter((r: { onTimeRate: number | null }) => r.onTimeRate !== null)
        .map((r: { name: string; onTimeRate: number }) => [r.name, (Math.round(r.onTimeRate * 1000) / 10).toLocaleString('vi-VN')]),
    );
    expect(rates.length).toBeGreaterThanOrEqual(2);
    await page.$$eval('details', (ds) => ds.forEach((d) => ((d as any).open = true)));
    await screenshot(page, '02-tong-quan');
    await accessible();
  });

  it('center: the dossier list filters by status and finds a code', async () => {
    await goto('/console/dossiers');
    const all = await page.$$eval('tbody tr', (rows) => rows.length);
    expect(all).toBe(6);
    await screenshot(page, '03-ho-so');
    await accessible();
    await page.select('#status', 'resolved');
    await clickAndWait('form.filters button[type=submit]');
    expect(page.url()).toContain('status=resolved');
    expect(await page.$$eval('tbody tr', (rows) => rows.map((r) => r.querySelector('a')?.textContent))).toEqual([w.codes.resolved]);
    expect(await text()).toContain('Đã xử lý xong');
    await goto(`/console/dossiers?q=${w.codes.other.slice(-8)}`);
    expect(await page.$$eval('tbody tr a', (as) => as.map((a) => a.textContent))).toEqual([w.codes.other]);
  });

  it('center: the deadline filter (from the overview\'s count and from the form); the list shows deadline state and due date', async () => {
    await goto('/console');
    await clickAndWait('.stats a[href="/console/dossiers?deadline=overdue"]');
    expect(page.url()).toContain('deadline=overdue');
    expect(await rowCodes()).toEqual([w.codes.delivered]);
    expect(await page.$eval('tbody tr td:nth-child(6)', (td) => td.textContent)).toBe('Quá hạn');
    expect(await page.$eval('#deadline', (s) => (s as any).value)).toBe('overdue');
    await screenshot(page, '03b-ho-so-qua-han');
    await accessible();
    await page.select('#deadline', 'due_soon');
    await clickAndWait('form.filters button[type=submit]');
    expect(page.url()).toContain('deadline=due_soon');
    expect(await rowCodes()).toEqual([w.codes.other]);
    expect(await page.$eval('tbody tr td:nth-child(6)', (td) => td.textContent)).toBe('Sắp đến hạn');
    // The API's own filter agrees, row for row.
    for (const state of ['overdue', 'due_soon', 'on_time'] as const) {
      const api = (await w.t.api('GET', `/v1/dossiers?deadline=${state}`)).body.items.map((d: { code: string }) => d.code);
      await goto(`/console/dossiers?deadline=${state}`);
      expect(await rowCodes()).toEqual(api);
    }
    // Unfiltered: every row has its state and, with a due date, dd/MM/yyyy HH:mm.
    await goto('/console/dossiers');
    const cells = await page.$$eval('tbody tr', (rows) => rows.map((r) => [r.children[5]?.textContent, r.children[6]?.textContent]));
    expect(cells).toHaveLength(6);
    for (const [state, due] of cells) {
      expect(['Đúng hạn', 'Sắp đến hạn', 'Quá hạn', 'Trước hạn', 'Trễ hạn']).toContain(state);
      expect(due).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    }
    expect(await goto('/console/dossiers?deadline=late-ish')).toBe(200);
    expect(await text()).toContain('Không có tình trạng hạn "late-ish"');
  });

  it('center: "Gia hạn / hẹn lại" by click: the new appointment and the reason show on the timeline; the dossier stays overdue', async () => {
    await goto(`/console/dossiers/${w.codes.delivered}`);
    expect(await text()).toContain('Quá hạn');
    // A date before the due date is refused, with the reason on the page and nothing written.
    await page.type('#newDueAt', '01/01/2020 08:00');
    await page.type('#reason', 'Thử ngày sai');
    await clickAndWait('form[action$="/extension"] button[type=submit]');
    expect(await text()).toContain('must be after the due date');
    const tomorrow = new Date(Date.now() + 7 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
    await page.$eval('#newDueAt', (i) => ((i as any).value = ''));
    await page.type('#newDueAt', `${tomorrow.split('-').reverse().join('/')} 16:30`);
    await page.type('#reason', 'Xin lỗi ông/bà: cần xác minh thêm với Sở Tài chính.');
    await clickAndWait('form[action$="/extension"] button[type=submit]');
    expect(new URL(page.url()).pathname).toBe(`/console/dossiers/${w.codes.delivered}`);
    const body = await text();
    expect(body).toContain('Đã gia hạn và hẹn lại ngày trả.');
    const shown = `${tomorrow.split('-').reverse().join('/')} 16:30`;
    const timeline = await page.$$eval('#h-nhat-ky ~ .table-wrap tbody tr', (rows) => rows.map((r) => Array.from(r.children as ArrayLike<{ textContent: string | null }>).map((td) => td.textContent)));
    const entry = timeline.find((cols) => cols[1] === 'Gia hạn, hẹn lại ngày trả');
    expect(entry).toBeDefined();
    expect(entry![3]).toBe('center:quay-1');
    expect(entry![4]).toBe('Xin lỗi ông/bà: cần xác minh thêm với Sở Tài chính.');
    expect(timeline.filter((cols) => cols[1] === 'Gia hạn, hẹn lại ngày trả')).toHaveLength(1);
    expect(body).toContain(`Hẹn lại ngày trả\n${shown}`);
    expect(await page.$eval('.facts .badge.bad', (b) => b.textContent)).toBe('Quá hạn');
    // The same use-case as POST /v1/dossiers/{code}/extension: the API sees it.
    const api = (await w.t.api('GET', `/v1/dossiers/${w.codes.delivered}`)).body;
    expect(api.deadline.extendedTo).toBe(`${tomorrow}T16:30:00+07:00`);
    expect(api.deadline.state).toBe('overdue');
    await screenshot(page, '04b-gia-han');
    await accessible();
    // A resolved dossier has no appointment left to move: no form.
    await goto(`/console/dossiers/${w.codes.resolved}`);
    expect(await page.$('form[action$="/extension"]')).toBeNull();
  });

  it('center: Cảnh báo lists the open alerts as GET /v1/alerts does; Tổng quan counts them', async () => {
    await w.t.runtime.services.alerts.evaluate();
    const api = (await w.t.api('GET', '/v1/alerts?state=open', undefined, w.keys.center)).body.items as Array<{ kind: string; dossierCode?: string }>;
    expect(api.map((a) => a.kind)).toEqual(expect.arrayContaining(['overdue', 'delivery_failed', 'portal_rejected']));
    await goto('/console');
    expect(await stat('Cảnh báo đang mở')).toBe(String(api.length));
    await clickAndWait('.stats a[href="/console/alerts"]');
    const rows = await page.$$eval('tbody tr', (rs) => rs.map((r) => [r.children[0]?.textContent, r.children[1]?.textContent ?? '']));
    expect(rows).toHaveLength(api.length);
    expect(rows).toContainEqual(['Hồ sơ quá hạn', w.codes.delivered]);
    expect(rows).toContainEqual(['Gửi đơn vị lỗi', w.codes.failed]);
    // Chi tiết says why: the due date of an overdue dossier, the error of a failed delivery.
    const detailOf = (kind: string, code: string) =>
      page.$$eval('tbody tr', (rs, [k, c]) => rs.find((r) => r.children[0]?.textContent === k && r.children[1]?.textContent === c)?.children[3]?.textContent ?? '', [kind, code]);
    expect(await detailOf('Hồ sơ quá hạn', w.codes.delivered)).toMatch(/^Hạn trả: \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} · Trạng thái: /);
    expect(await detailOf('Gửi đơn vị lỗi', w.codes.failed)).toMatch(/Thao tác: Gửi hồ sơ · Số lần gửi: \d+ · .*Lỗi: /);
    await screenshot(page, '12-canh-bao');
    await accessible();
  });

  it('center: Báo cáo for a chosen period matches the API, with CSV and XLSX downloads', async () => {
    await goto('/console/reports');
    const { from, to } = monthToDate(new Date());
    // Dates as the console writes them, whatever the browser's language.
    expect(await page.$eval('#from', (i) => (i as any).value)).toBe(from.split('-').reverse().join('/'));
    const api = (await w.t.api('GET', `/v1/reports/progress?from=${from}&to=${to}&groupBy=department`, undefined, w.keys.center)).body;
    const cells = (p: Page) => p.$$eval('tbody tr', (rs) => rs.map((r) => [r.children[0]?.textContent, r.children[1]?.textContent]));
    expect(await cells(page)).toEqual([...api.rows.map((r: { name: string; received: number }) => [r.name, String(r.received)]), ['Tổng cộng', String(api.total.received)]]);
    expect(await text()).toContain('Tỷ lệ đúng hạn');
    await screenshot(page, '13-bao-cao');
    await accessible();
    // By procedure, by form, the period typed dd/MM/yyyy.
    await page.$eval('#from', (i) => ((i as any).value = ''));
    await page.type('#from', from.split('-').reverse().join('/'));
    await page.select('#groupBy', 'procedure');
    await clickAndWait('form.filters button[type=submit]');
    expect(page.url()).toContain('groupBy=procedure');
    expect(await page.$eval('#from', (i) => (i as any).value)).toBe(from.split('-').reverse().join('/'));
    expect(await text()).toContain('Đăng ký thành lập doanh nghiệp tư nhân');
    // The downloads are the API's own files.
    const csvHref = await page.$eval('a[href*="format=csv"]', (a) => (a as any).href);
    const xlsxHref = await page.$eval('a[href*="format=xlsx"]', (a) => (a as any).href);
    const got = await page.evaluate(async (c, x) => {
      const [rc, rx] = await Promise.all([fetch(c), fetch(x)]);
      const bytes = new Uint8Array(await rx.arrayBuffer());
      return { csv: { status: rc.status, type: rc.headers.get('content-type'), body: await rc.text() }, xlsx: { status: rx.status, type: rx.headers.get('content-type'), head: String.fromCharCode(bytes[0]!, bytes[1]!), size: bytes.length } };
    }, csvHref, xlsxHref);
    const apiCsv = (await w.t.api('GET', `/v1/reports/progress?from=${from}&to=${to}&groupBy=procedure&format=csv`, undefined, w.keys.center)).body as string;
    expect(got.csv).toMatchObject({ status: 200, type: 'text/csv; charset=utf-8' });
    expect(got.csv.body.replace(/^\uFEFF/, '')).toBe(apiCsv.replace(/^\uFEFF/, ''));
    expect(got.csv.body).toContain('Tiếp nhận mới');
    expect(got.xlsx).toMatchObject({ status: 200, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', head: 'PK' });
    expect(got.xlsx.size).toBeGreaterThan(1000);
    // A period the use-case refuses is said on the page.
    expect(await goto(`/console/reports?from=${to}&to=2020-01-01`)).toBe(422);
    expect(await text()).toContain('must not be before from');
  });

  it('center: a dossier page shows procedure, masked id number, Vietnamese status, delivery, timeline and result', async () => {
    await goto(`/console/dossiers/${w.codes.resolved}`);
    const body = await text();
    expect(body).toContain('Đăng ký thành lập doanh nghiệp tư nhân');
    expect(body).toContain('********1234');
    expect(body).not.toContain('015190001234');
    expect(body).toContain('Đã xử lý xong');
    expect(body).toContain(`DN-${w.codes.resolved}`);
    expect(body).toContain('Đã gửi đến đơn vị');
    expect(body).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
    expect(body).toContain('department:000.00.15.H63');
    const href = await page.$eval('a[href*="/results/"]', (a) => (a as any).href);
    const download = await page.evaluate(async (u) => {
      const r = await fetch(u);
      return { status: r.status, type: r.headers.get('content-type'), body: await r.text() };
    }, href);
    expect(download).toMatchObject({ status: 200, type: 'application/pdf', body: '"PDF"' });
    await screenshot(page, '04-chi-tiet-ho-so');
    await accessible();
  });

  it('center: "Gửi lại" on the failed-deliveries page reaches the department server', async () => {
    await goto('/console/deliveries');
    expect(await page.$$eval('tbody tr a', (as) => as.map((a) => a.textContent))).toEqual([w.codes.failed]);
    expect(await text()).toContain('thiếu mã ngành');
    await screenshot(page, '05-gui-loi');
    await accessible();
    // The department fixes its side; the operator retries by click.
    w.a.setReply((r) => (r.url.startsWith('/files/') ? { status: 200, body: 'PDF' } : { status: 201, body: { id: 'DN-FIXED' } }));
    const before = w.a.received.filter((r) => (r.body as { maHoSo?: string })?.maHoSo === w.codes.failed).length;
    await clickAndWait('tbody tr button[type=submit]');
    expect(await text()).toContain('Đã xếp hàng gửi lại đến đơn vị.');
    const sent = await eventually(() => {
      const got = w.a.received.filter((r) => r.method === 'POST' && (r.body as { maHoSo?: string })?.maHoSo === w.codes.failed);
      return got.length > before ? got.at(-1) : undefined;
    });
    expect(sent.headers['idempotency-key']).toBe(`${w.codes.failed}:submit`);
    expect(sent.body).toMatchObject({ maHoSo: w.codes.failed, nguoiNop: 'Trần Văn Lỗi' });
    await eventually(async () => (await w.t.api('GET', `/v1/dossiers/${w.codes.failed}`)).body.delivery.state === 'delivered');
    await goto(`/console/dossiers/${w.codes.failed}`);
    expect(await text()).toContain('Gửi lại');
    expect(await text()).toContain('DN-FIXED');
  });

  it('center: "Gửi lại tất cả" queues every failed delivery of the filtered list again (POST /v1/deliveries/retry\'s use-case)', async () => {
    // Sở Tư pháp refuses a new dossier for good; then it is fixed, and the operator retries the whole list by click.
    w.b.setReply(() => ({ status: 400, body: { message: 'sai mẫu phiếu' } }));
    const d = dossier({ code: '1.001612', name: 'Cấp phiếu lý lịch tư pháp' }, 'Hoàng Văn Bốn');
    expect((await w.t.api('POST', '/v1/dossiers', d, w.keys.center)).status).toBe(202);
    await eventually(async () => (await w.t.api('GET', `/v1/dossiers/${d.code}`)).body.delivery?.state === 'failed', 15_000);
    await goto(`/console/deliveries?department=${DEPT_B}`);
    expect(await rowCodes()).toEqual([d.code]);
    await screenshot(page, '05b-gui-lai-tat-ca');
    await accessible();
    w.b.setReply((r) => ({ status: 201, body: { id: `TP-${(r.body as { maHoSo?: string })?.maHoSo ?? 'x'}` } }));
    await clickAndWait('form[action="/console/deliveries/retry"] button');
    expect(await text()).toContain('Đã xếp hàng gửi lại 1 trên 1 lần gửi lỗi.');
    await eventually(() => w.b.received.some((r) => r.method === 'POST' && (r.body as { maHoSo?: string })?.maHoSo === d.code && r.headers['idempotency-key'] === `${d.code}:submit`));
    await eventually(async () => (await w.t.api('GET', `/v1/dossiers/${d.code}`)).body.delivery?.state === 'delivered', 15_000);
    await goto(`/console/dossiers/${d.code}`);
    expect(await text()).toContain('center:quay-1 (bulk retry)');
    expect(await text()).toContain(`TP-${d.code}`);
  });

  it('center may not open department or portal pages (same roles as the API)', async () => {
    expect(await goto(`/console/departments/${DEPT_A}`)).toBe(403);
    expect(await goto('/console/portal')).toBe(403);
    expect(await page.$$eval('nav a', (as) => as.map((a) => a.textContent))).toEqual(['Tổng quan', 'Hồ sơ', 'Gửi lỗi', 'Cảnh báo', 'Báo cáo']);
  });

  it('a form with a wrong CSRF token, or from another origin, is refused', async () => {
    await goto(`/console/dossiers/${w.codes.delivered}`);
    const form = await page.$('form[action="/console/logout"]');
    expect(form).not.toBeNull();
    await page.$eval('form[action="/console/logout"] input[name=_csrf]', (i) => ((i as any).value = 'forged'));
    await clickAndWait('form[action="/console/logout"] button');
    expect(await text()).toContain('CSRF');
    // Still signed in: the forged sign-out did nothing.
    expect(await goto('/console')).toBe(200);
    const csrf = await page.$eval('input[name=_csrf]', (i) => (i as any).value);
    const cookie = (await page.cookies()).find((c) => c.name === 'lienthong_console')!;
    const before = w.a.received.length;
    const res = await fetch(`${w.t.base}/console/dossiers/${w.codes.delivered}/retry`, {
      method: 'POST',
      headers: { cookie: `${cookie.name}=${cookie.value}`, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: `_csrf=${encodeURIComponent(csrf)}`,
    });
    expect(res.status).toBe(403);
    expect(w.a.received.length).toBe(before);
  });

  it('admin: departments, one department with versions, check and preview, and the portal page with resend', async () => {
    const admin = await recordingPage(browser, seen);
    await signIn(admin, w.t.base, ADMIN_KEY);
    // The sign-in is in the audit log (its use-case), naming the key's id, never the key.
    const audit = await eventually(async () => {
      const r = await w.t.api('GET', '/v1/audit?action=console.signed_in&limit=100');
      return r.body.items.some((e: { actor: { role: string } }) => e.actor.role === 'admin') ? r : undefined;
    });
    expect(audit.body.items.map((e: { actor: { role: string } }) => e.actor.role)).toEqual(expect.arrayContaining(['admin', 'center']));
    expect(audit.body.items[0]).toMatchObject({ action: 'console.signed_in', subject: expect.stringMatching(/^key:/) });
    expect(JSON.stringify(audit.body)).not.toContain(ADMIN_KEY);
    expect(JSON.stringify(audit.body)).not.toContain(w.keys.center);
    await goto('/console/departments', admin);
    expect(await text(admin)).toContain('Sở Tư pháp');
    await screenshot(admin, '06-don-vi');
    await accessible(admin);

    await goto(`/console/departments/${DEPT_A}`, admin);
    const body = await text(admin);
    expect(body).toContain('********');
    expect(body).not.toContain('dept-secret-token');
    expect(body).toContain('admin:ADMIN_API_KEY');
    // Health (the circuit breaker's state) and pause/resume: the API's use-cases.
    expect(body).toMatch(/Tình trạng kết nối\n\s*Bình thường \(đóng\)/);
    expect(body).toContain('Đang chờ gửi');
    await clickAndWait(`form[action="/console/departments/${DEPT_A}/pause"] button`, admin);
    expect(await text(admin)).toContain('Đã tạm dừng gửi đến đơn vị.');
    expect(await admin.$eval('.facts .badge.warn', (b) => b.textContent)).toBe('Tạm dừng gửi');
    expect((await w.t.api('GET', `/v1/departments/${DEPT_A}`)).body.health.paused).toBe(true);
    await screenshot(admin, '07b-don-vi-tam-dung');
    await accessible(admin);
    await clickAndWait(`form[action="/console/departments/${DEPT_A}/resume"] button`, admin);
    expect(await text(admin)).toContain('Đã cho gửi tiếp đến đơn vị.');
    expect((await w.t.api('GET', `/v1/departments/${DEPT_A}`)).body.health.paused).toBe(false);
    await clickAndWait('form[action$="/check"] button', admin);
    expect(await text(admin)).toContain('Kết nối được');
    await clickAndWait('form[action$="/preview"] button[type=submit]', admin);
    const preview = await admin.$eval('pre', (p) => p.textContent ?? '');
    expect(preview).toContain(`${w.a.url}/applications`);
    expect(preview).toContain('"maHoSo"');
    // The form is prefilled with the newest dossier, without the applicant's personal data.
    const input = await admin.$eval('#input', (t) => (t as any).value as string);
    expect(input).toContain('"idNumber": "000000001234"');
    expect(input).not.toContain('0912345678');
    await screenshot(admin, '07-chi-tiet-don-vi');
    await accessible(admin);

    await goto('/console/portal', admin);
    expect(await text(admin)).toContain('Thiếu thông tin người nộp');
    await screenshot(admin, '08-dvcqg');
    await accessible(admin);
    w.portal.rejectWhen(undefined);
    await clickAndWait('tbody tr button[type=submit]', admin);
    expect(await text(admin)).toContain('Đã xếp hàng gửi lại lên DVCQG.');
    await eventually(() => w.portal.accepted.some((x) => x.item.MaHoSo === w.codes.rejected), 15_000);
    await admin.browserContext().close();
  });

  it('a department key sees only its own department: any other dossier or department is a 404 page', async () => {
    const dept = await recordingPage(browser, seen);
    await signIn(dept, w.t.base, w.keys.deptA);
    await goto('/console/dossiers', dept);
    const codes = await dept.$$eval('tbody tr a', (as) => as.map((a) => a.textContent));
    expect(codes).not.toContain(w.codes.other);
    expect(codes).toHaveLength(4);
    expect(await goto(`/console/dossiers/${w.codes.other}`, dept)).toBe(404);
    expect(await text(dept)).toContain('Không tìm thấy');
    await screenshot(dept, '09-don-vi-khong-thay');
    expect(await goto(`/console/departments/${DEPT_B}`, dept)).toBe(404);
    expect(await goto(`/console/dossiers/${w.codes.other}/results/x`, dept)).toBe(404);
    expect(await goto('/console/departments', dept)).toBe(200);
    expect(new URL(dept.url()).pathname).toBe(`/console/departments/${DEPT_A}`);
    await screenshot(dept, '10-don-vi-cua-minh');
    await goto(`/console/dossiers/${w.codes.delivered}`, dept);
    expect(await dept.$('form[action$="/retry"]')).toBeNull();
    // The owning department may extend its own dossier (as the API allows); another's is a 404 page.
    expect(await dept.$('form[action$="/extension"]')).not.toBeNull();
    const csrf = await dept.$eval('input[name=_csrf]', (i) => (i as any).value);
    const cookie = (await dept.cookies()).find((c) => c.name === 'lienthong_console')!;
    const res = await fetch(`${w.t.base}/console/dossiers/${w.codes.other}/extension`, {
      method: 'POST',
      headers: { cookie: `${cookie.name}=${cookie.value}`, origin: new URL(w.t.base).origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, newDueAt: '2030-01-01T08:00', reason: 'không phải hồ sơ của tôi' }).toString(),
    });
    expect(res.status).toBe(404);
    expect((await w.t.api('GET', `/v1/dossiers/${w.codes.other}`)).body.deadline.extendedTo).toBeNull();
    // Alerts and the report: its own department's only, as the API answers the same key.
    const own = (await w.t.api('GET', '/v1/alerts?state=open', undefined, w.keys.deptA)).body.items;
    await goto('/console/alerts', dept);
    expect(await dept.$$eval('tbody tr', (rs) => rs.length)).toBe(own.length);
    expect(await text(dept)).not.toContain(w.codes.other);
    await goto('/console/reports', dept);
    expect(await dept.$$eval('tbody tr th', (th) => th.map((t) => t.textContent))).toEqual(['Sở Kế hoạch và Đầu tư', 'Tổng cộng']);
    await goto('/console', dept);
    expect(await stat('Cảnh báo đang mở', dept)).toBe(String(own.length));
    expect(await stat('Hồ sơ quá hạn', dept)).toBe('1');
    expect(await stat('Hồ sơ sắp đến hạn', dept)).toBe('0');
    await dept.browserContext().close();
  });

  it('sign-out, idle and absolute expiry, and a revoked key each end the session', async () => {
    const db = w.t.runtime.db;
    const fresh = async (key: string) => {
      const p = await recordingPage(browser, seen);
      await signIn(p, w.t.base, key);
      expect(new URL(p.url()).pathname).toBe('/console');
      return p;
    };
    // Sign-out.
    const p1 = await fresh(w.keys.center);
    await clickAndWait('form[action="/console/logout"] button', p1);
    expect(await text(p1)).toContain('Bạn đã đăng xuất.');
    await goto('/console', p1);
    expect(new URL(p1.url()).pathname).toBe('/console/login');
    // Idle: last seen longer ago than CONSOLE_IDLE_MINUTES.
    const p2 = await fresh(w.keys.center);
    await db.query(`update console_sessions set last_seen_at = now() - interval '61 minutes'`);
    await goto('/console', p2);
    expect(new URL(p2.url()).pathname).toBe('/console/login');
    // Absolute: past CONSOLE_SESSION_HOURS, even when active.
    const p3 = await fresh(w.keys.center);
    await db.query(`update console_sessions set expires_at = now() - interval '1 second'`);
    await goto('/console/dossiers', p3);
    expect(new URL(p3.url()).pathname).toBe('/console/login');
    // Revocation: the key goes, its sessions with it.
    const created = await w.t.api('POST', '/v1/api-keys', { role: 'center', name: 'tam-thoi' });
    const p4 = await fresh(created.body.key);
    expect((await w.t.api('DELETE', `/v1/api-keys/${created.body.id}`)).status).toBe(204);
    await goto('/console', p4);
    expect(new URL(p4.url()).pathname).toBe('/console/login');
    const left = await db.query<{ n: number }>('select count(*)::int as n from console_sessions where key_id = $1', [created.body.id]);
    expect(left[0]?.n).toBe(0);
    for (const p of [p1, p2, p3, p4]) await p.browserContext().close();
  });

  it('the session cookie is Secure when served over HTTPS (X-Forwarded-Proto)', async () => {
    const host = new URL(w.t.base).host;
    const res = await fetch(`${w.t.base}/console/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.1', origin: `https://${host}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: `key=${encodeURIComponent(w.keys.center)}`,
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
  });

  it('sign-in attempts are rate-limited per address: after 10 failures even the right key is refused', async () => {
    const p = await recordingPage(browser, seen);
    await p.setExtraHTTPHeaders({ 'x-forwarded-for': '203.0.113.9' });
    for (let i = 0; i < 10; i++) await signIn(p, w.t.base, `sai-${i}`);
    expect(await text(p)).toContain('Khóa API không đúng hoặc đã bị thu hồi.');
    await signIn(p, w.t.base, w.keys.center);
    expect(new URL(p.url()).pathname).toBe('/console/login');
    expect(await text(p)).toContain('Quá nhiều lần đăng nhập không thành công');
    await screenshot(p, '11-gioi-han-dang-nhap');
    // Another address is not affected.
    await p.setExtraHTTPHeaders({ 'x-forwarded-for': '203.0.113.10' });
    await signIn(p, w.t.base, w.keys.center);
    expect(new URL(p.url()).pathname).toBe('/console');
    await p.browserContext().close();
  });

  it('no request left the gateway origin', () => {
    expect(seen.length).toBeGreaterThan(20);
    const origin = new URL(w.t.base).origin;
    // data: URLs are not requests (Chromium draws the date-time field's calendar icon from one).
    expect(seen.filter((u) => !u.startsWith('data:') && new URL(u).origin !== origin)).toEqual([]);
  });
});
