import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

const run = promisify(execFile);

const CSV = `\uFEFFcode,name,sector,value,unit,supplementPolicy,fees
2.001610,Đăng ký thành lập doanh nghiệp tư nhân,Thành lập và phát triển doanh nghiệp,3,working_days,restart,LP01:50000:Lệ phí đăng ký doanh nghiệp
1.001612,"Cấp giấy phép xây dựng, công trình cấp III",Xây dựng,15,working_days,pause,"LP02:75000:Lệ phí cấp phép; PH01:0:Phí thẩm định: miễn"
1.003560,Cấp bản sao trích lục hộ tịch,Hộ tịch,4,working_hours,,
`;

/** The catalog as a center loads it: files through the CLI and the gateway, and PROCEDURES_FILE at start. */
describe('lienthong procedures apply (CLI) and PROCEDURES_FILE', () => {
  let t: TestRuntime;
  let dir: string;
  const cli = (args: string[], key = 'test-admin-key-0123456789abcdefghijklmnop') =>
    run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin/lienthong.ts'), 'procedures', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', LIENTHONG_URL: t.base, LIENTHONG_API_KEY: key, LOG_LEVEL: 'silent' },
    }).then(
      (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
    );

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lienthong-pcli-'));
    await writeFile(path.join(dir, 'catalog.csv'), CSV);
    await writeFile(path.join(dir, 'calendar.yaml'), '2027:\n  daysOff: ["2027-02-12"]\n  workingDays: ["2027-02-20"]\n');
    t = await startTestRuntime({ env: { PROCEDURES_FILE: path.join(dir, 'catalog.csv'), CALENDAR_FILE: path.join(dir, 'calendar.yaml') } });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('applied the catalog and calendar files at start', async () => {
    const list = await t.api('GET', '/v1/procedures');
    expect(list.body.items.map((p: { code: string }) => p.code)).toEqual(['1.001612', '1.003560', '2.001610']);
    expect(list.body.items[0]).toMatchObject({
      name: 'Cấp giấy phép xây dựng, công trình cấp III',
      processingTime: { value: 15, unit: 'working_days' },
      supplementPolicy: 'pause',
      fees: [{ code: 'LP02', amount: 75000, name: 'Lệ phí cấp phép' }, { code: 'PH01', amount: 0, name: 'Phí thẩm định: miễn' }],
    });
    expect(list.body.items[1]).toMatchObject({ processingTime: { value: 4, unit: 'working_hours' }, supplementPolicy: 'restart', fees: [] });
    const year = await t.api('GET', '/v1/calendar/2027');
    expect(year.body.daysOff.map((d: { date: string }) => d.date)).toContain('2027-02-12');
    expect(year.body.workingDays).toEqual(['2027-02-20']);
  });

  it('shows a diff, applies all or none, and honours --dry-run', { timeout: 120_000 }, async () => {
    const yaml = path.join(dir, 'catalog.yaml');
    await writeFile(
      yaml,
      `procedures:
  - code: "2.001610"
    name: Đăng ký thành lập doanh nghiệp tư nhân
    sector: Thành lập và phát triển doanh nghiệp
    processingTime: { value: 5, unit: working_days }
    fees: [{ code: LP01, name: Lệ phí đăng ký doanh nghiệp, amount: 50000 }]
  - code: "1.003560"
    name: Cấp bản sao trích lục hộ tịch
    sector: Hộ tịch
    processingTime: { value: 4, unit: working_hours }
  - code: "2.002000"
    name: Đăng ký hộ kinh doanh
    processingTime: { value: 3, unit: days }
`,
    );
    const dry = await cli(['apply', yaml, '--dry-run']);
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain('~ 2.001610: processingTime.value (dry run: not saved)');
    expect(dry.out).toContain('= 1.003560: unchanged');
    expect(dry.out).toContain('+ 2.002000: new (dry run: not saved)');
    expect((await t.api('GET', '/v1/procedures/2.002000')).status).toBe(404);

    const applied = await cli(['apply', yaml]);
    expect(applied.code, applied.err).toBe(0);
    expect(applied.out).toContain('1 new, 1 changed, 1 unchanged');
    expect((await t.api('GET', '/v1/procedures/2.001610')).body.processingTime.value).toBe(5);
    // Applied here: due dates use it at once.
    const due = await t.api('GET', '/v1/calendar/due?from=2026-11-02T08:00:00%2B07:00&value=3&unit=days');
    expect(due.body.dueAt).toBe('2026-11-05T17:00:00+07:00');

    const bad = path.join(dir, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify([
        { code: '2.001610', name: 'Đổi tên', processingTime: { value: 2, unit: 'working_days' } },
        { code: '1.000001', name: 'Sai đơn vị', processingTime: { value: 2, unit: 'weeks' } },
        { code: '1.000002', name: 'Quá dài', processingTime: { value: 5000, unit: 'working_days' } },
      ]),
    );
    const refused = await cli(['apply', bad]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('procedures[1] (1.000001): processingTime.unit');
    expect(refused.err).toContain('procedures[2] (1.000002): processingTime.value');
    expect(refused.err).toContain('nothing was applied');
    expect((await t.api('GET', '/v1/procedures/2.001610')).body.name).toBe('Đăng ký thành lập doanh nghiệp tư nhân');

    const center = await t.key('center', 'quay-1');
    expect((await cli(['apply', yaml], center)).code).toBe(1);
  });
});
