import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** /docs in a real browser: Swagger UI from the installed package, nothing fetched elsewhere. */
describe('the API reference page', { timeout: 120_000 }, () => {
  let t: TestRuntime;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestRuntime();
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('renders every operation with its parameters and roles, from local assets only', async () => {
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    const failed: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.protocol !== 'data:' && url.host !== new URL(t.base).host) elsewhere.push(r.url());
    });
    page.on('requestfailed', (r) => failed.push(r.url()));
    await page.goto(`${t.base}/docs`, { waitUntil: 'networkidle0', timeout: 90_000 });
    await page.waitForSelector('.opblock', { timeout: 60_000 });
    const paths = await page.$$eval('.opblock-summary-path', (els) => els.map((e) => e.getAttribute('data-path') ?? e.textContent ?? ''));
    expect(paths).toEqual(expect.arrayContaining(['/v1/dossiers', '/v1/dossiers/{code}/retry', '/v1/api-keys', '/healthz', '/readyz', '/soap/events']));

    // Open "GET /v1/dossiers": its query parameters and its roles are shown.
    await page.click('#operations-dossiers-get_v1_dossiers .opblock-summary');
    await page.waitForSelector('#operations-dossiers-get_v1_dossiers .parameters', { timeout: 30_000 });
    const text = await page.$eval('#operations-dossiers-get_v1_dossiers', (e) => (e as unknown as { innerText: string }).innerText);
    expect(text).toContain('deliveryState');
    expect(text).toContain('cursor');
    expect(text).toMatch(/Roles:\s*admin, center, department/);
    expect(elsewhere).toEqual([]);
    expect(failed).toEqual([]);
    await page.close();
  });
});
