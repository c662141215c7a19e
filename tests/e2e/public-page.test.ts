import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

const require = createRequire(import.meta.url);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The public catalog page in a real browser: what a citizen sees, with no key, no script and no external asset. */
describe('the public page /public in a browser', () => {
  let t: TestRuntime;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestRuntime();
    expect((await t.api('PUT', '/v1/departments/000.00.15.H63', restDepartment('http://127.0.0.1:9', ['2.001610']))).status).toBe(201);
    for (const [code, body] of [
      ['2.001610', { name: 'Đăng ký thành lập doanh nghiệp tư nhân', sector: 'Thành lập và phát triển doanh nghiệp', processingTime: { value: 3, unit: 'working_days' }, fees: [{ code: 'LP01', name: 'Lệ phí đăng ký doanh nghiệp', amount: 50000 }] }],
      ['1.001612', { name: 'Cấp giấy phép xây dựng <nhà ở riêng lẻ>', sector: 'Xây dựng', processingTime: { value: 0.5, unit: 'working_days' } }],
    ] as const) {
      expect((await t.api('PUT', `/v1/procedures/${code}`, body)).status).toBe(201);
    }
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('shows every procedure in Vietnamese, escaped, with no request elsewhere and no accessibility violation', { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(t.base)) elsewhere.push(r.url());
    });
    const res = await page.goto(`${t.base}/public`, { waitUntil: 'load' });
    expect(res?.status()).toBe(200);
    expect(await page.$eval('html', (e) => e.getAttribute('lang'))).toBe('vi');
    expect(await page.title()).toBe('Danh mục thủ tục hành chính');
    const rows = await page.$$eval('tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())));
    expect(rows).toEqual([
      ['2.001610', 'Đăng ký thành lập doanh nghiệp tư nhân', 'Thành lập và phát triển doanh nghiệp', 'Sở Kế hoạch và Đầu tư', '3 ngày làm việc', 'Lệ phí đăng ký doanh nghiệp: 50.000 đồng'],
      ['1.001612', 'Cấp giấy phép xây dựng <nhà ở riêng lẻ>', 'Xây dựng', 'Chưa phân công', '0,5 ngày làm việc', 'Không thu phí, lệ phí'],
    ]);
    expect(elsewhere).toEqual([]);
    await page.addScriptTag({ content: await readFile(require.resolve('axe-core/axe.min.js'), 'utf8') });
    const violations = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run: () => Promise<{ violations: Array<{ id: string }> }> } }).axe;
      return (await axe.run()).violations.map((v) => v.id);
    });
    expect(violations).toEqual([]);
  });
});
