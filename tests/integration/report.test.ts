import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vnDate } from '../../core/follow-up/report-period.js';
import { seedDossiers, type SeedDossier } from '../helpers/follow-up-data.js';
import { restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

const A = '000.00.15.H63';
const B = '000.00.16.H63';
const P1 = '2.001610';
const P2 = '1.001612';
const P3 = '1.000001';
const t = (local: string) => `${local}+07:00`;
const done = (code: string, receivedAt: string, dueAt: string | null, doneAt: string, extra: Partial<SeedDossier> = {}): SeedDossier => ({
  code, department: A, procedure: P1, status: 'resolved', receivedAt: t(receivedAt), dueAt: dueAt && t(dueAt), doneAt: t(doneAt), ...extra,
});
const open = (code: string, receivedAt: string, dueAt: string | null, extra: Partial<SeedDossier> = {}): SeedDossier => ({
  code, department: A, procedure: P1, status: 'processing', receivedAt: t(receivedAt), dueAt: dueAt && t(dueAt), ...extra,
});

/** November 2026 (a past period: open dossiers are judged on 2026-11-30). Each line says where it must count. */
const DOSSIERS: SeedDossier[] = [
  done('A01', '2026-11-02T08:00', '2026-11-10T17:00', '2026-11-09T10:00', { channel: 'online', portal: { state: 'synced', known: true } }), // early, online, synced
  done('A02', '2026-11-03T08:00', '2026-11-10T08:00', '2026-11-10T23:30', { portal: { state: 'pending', known: true } }), // on time (same date UTC+7), synced
  done('A03', '2026-11-04T08:00', '2026-11-12T17:00', '2026-11-13T00:30', { portal: { state: 'pending', known: false } }), // late: 13/11 in Vietnam, 12/11 in UTC
  open('A04', '2026-11-05T08:00', '2026-11-20T17:00'), // open overdue
  open('A05', '2026-11-06T08:00', '2026-12-05T17:00'), // open on time
  open('A06', '2026-10-20T08:00', '2026-10-30T17:00'), // carried over, open overdue
  done('A07', '2026-10-01T08:00', '2026-10-20T17:00', '2026-10-15T08:00'), // finished before the period: nowhere
  open('A08', '2026-11-07T08:00', '2026-11-25T17:00', { status: 'supplement_requested', pausedSince: t('2026-11-20T09:00') }), // paused
  { code: 'A09', department: A, procedure: P1, status: 'withdrawn', receivedAt: t('2026-11-08T08:00'), closedAt: t('2026-11-12T08:00') }, // withdrawn
  { code: 'A10', department: A, procedure: P1, status: 'not_accepted', receivedAt: t('2026-11-09T08:00'), closedAt: t('2026-11-09T09:00') }, // not accepted
  open('A11', '2026-11-30T23:30', '2026-12-03T17:00', { channel: 'online' }), // received on the last evening, open on time, online
  open('A12', '2026-12-01T00:10', '2026-12-04T17:00'), // received after the period (1/12 in Vietnam): nowhere
  done('A13', '2026-10-25T08:00', '2026-11-01T17:00', '2026-11-03T08:00', { procedure: P2, procedureName: 'Đăng ký thay đổi nội dung' }), // carried over, late
  done('A14', '2026-11-10T08:00', '2026-11-28T17:00', '2026-12-01T08:00', { procedure: P2, procedureName: 'Đăng ký thay đổi nội dung' }), // open overdue at the end (resolved after)
  done('B01', '2026-11-15T08:00', null, '2026-11-16T08:00', { department: B, procedure: P3, channel: 'online' }), // no due date: on time
  open('B02', '2026-11-15T09:00', null, { department: B, procedure: P3 }), // no due date: open on time
];

const ROW_A = {
  key: A, name: 'Sở Kế hoạch và Đầu tư',
  received: 10, carriedOver: 2, doneEarly: 1, doneOnTime: 1, doneLate: 2, openOnTime: 2, openOverdue: 3, paused: 1,
  withdrawn: 1, notAccepted: 1, online: 2, portalSynced: 2, onTimeRate: 1 - 5 / 12,
};
const ROW_B = {
  key: B, name: 'Sở Tư pháp',
  received: 2, carriedOver: 0, doneEarly: 0, doneOnTime: 1, doneLate: 0, openOnTime: 1, openOverdue: 0, paused: 0,
  withdrawn: 0, notAccepted: 0, online: 1, portalSynced: 0, onTimeRate: 1,
};
const TOTAL = {
  received: 12, carriedOver: 2, doneEarly: 1, doneOnTime: 2, doneLate: 2, openOnTime: 3, openOverdue: 3, paused: 1,
  withdrawn: 1, notAccepted: 1, online: 3, portalSynced: 2, onTimeRate: 1 - 5 / 14,
};
const HEADERS = ['Đơn vị', 'Tiếp nhận mới', 'Kỳ trước chuyển sang', 'Trước hạn', 'Đúng hạn', 'Trễ hạn', 'Đang xử lý trong hạn',
  'Đang xử lý quá hạn', 'Tạm dừng', 'Rút hồ sơ', 'Không tiếp nhận', 'Trực tuyến', 'Đã đồng bộ DVCQG', 'Tỷ lệ đúng hạn'];
const PERIOD = 'from=2026-11-01&to=2026-11-30';

describe('progress report (PostgreSQL)', () => {
  let rt: TestRuntime;
  let deptKeyB: string;

  beforeAll(async () => {
    rt = await startTestRuntime({ store: 'postgres' });
    expect((await rt.api('PUT', `/v1/departments/${A}`, restDepartment('http://127.0.0.1:9', [P1, P2]))).status).toBe(201);
    expect((await rt.api('PUT', `/v1/departments/${B}`, restDepartment('http://127.0.0.1:9', [P3], { name: 'Sở Tư pháp' }))).status).toBe(201);
    // The catalog names a procedure by its national base code: the report uses that name.
    expect((await rt.api('PUT', `/v1/procedures/${P2}`, { name: 'Đăng ký thay đổi nội dung đăng ký doanh nghiệp', sector: 'Doanh nghiệp', processingTime: { value: 3, unit: 'working_days' } })).status).toBe(201);
    await seedDossiers(rt.runtime.db, DOSSIERS.map((d) => (d.procedure === P2 ? { ...d, procedure: `${P2}.000.00.00.H63` } : d)));
    deptKeyB = await rt.key('department', 'so-tu-phap', B);
  });
  afterAll(() => rt?.stop());

  it('counts every field of every row by department, and the total', async () => {
    const res = await rt.api('GET', `/v1/reports/progress?${PERIOD}&groupBy=department`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ from: '2026-11-01', to: '2026-11-30', groupBy: 'department', rows: [ROW_A, ROW_B], total: TOTAL });
  });

  it('groups by procedure, and in all (groupBy none: the total only)', async () => {
    const byProcedure = await rt.api('GET', `/v1/reports/progress?${PERIOD}&groupBy=procedure`);
    expect(byProcedure.status).toBe(200);
    expect(byProcedure.body.rows.map((r: any) => [r.key, r.name, r.received, r.carriedOver, r.doneLate, r.openOverdue])).toEqual([
      [P3, `Thủ tục ${P3}`, 2, 0, 0, 0],
      [`${P2}.000.00.00.H63`, 'Đăng ký thay đổi nội dung đăng ký doanh nghiệp', 1, 1, 1, 1],
      [P1, `Thủ tục ${P1}`, 9, 1, 1, 2],
    ]);
    expect(byProcedure.body.total).toEqual(TOTAL);
    const all = await rt.api('GET', `/v1/reports/progress?${PERIOD}&groupBy=none`);
    expect(all.body).toEqual({ from: '2026-11-01', to: '2026-11-30', groupBy: 'none', rows: [], total: TOTAL });
  });

  it('gives a department key its own rows only', async () => {
    const res = await rt.api('GET', `/v1/reports/progress?${PERIOD}`, undefined, deptKeyB);
    expect(res.status).toBe(200);
    const { key: _k, name: _n, ...figures } = ROW_B;
    expect(res.body).toMatchObject({ groupBy: 'department', rows: [ROW_B], total: figures });
  });

  it('writes CSV in UTF-8 with a BOM and the Vietnamese headers', async () => {
    const res = await fetch(`${rt.base}/v1/reports/progress?${PERIOD}&format=csv`, { headers: { authorization: `Bearer ${(await import('../helpers/runtime.js')).ADMIN_KEY}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes).trimEnd().split('\r\n');
    expect(lines[0]).toBe(HEADERS.join(','));
    expect(lines[1]).toBe(`${A} - Sở Kế hoạch và Đầu tư,10,2,1,1,2,2,3,1,1,1,2,2,${1 - 5 / 12}`);
    expect(lines[2]).toBe(`${B} - Sở Tư pháp,2,0,0,1,0,1,0,0,0,0,1,0,1`);
    expect(lines[3]).toBe(`Tổng cộng,12,2,1,2,2,3,3,1,1,1,3,2,${1 - 5 / 14}`);
    expect(lines).toHaveLength(4);
  });

  it('writes XLSX that exceljs reads back with the same figures', async () => {
    const { ADMIN_KEY } = await import('../helpers/runtime.js');
    const res = await fetch(`${rt.base}/v1/reports/progress?${PERIOD}&format=xlsx&groupBy=department`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual(HEADERS);
    expect(values(2)).toEqual([`${A} - Sở Kế hoạch và Đầu tư`, 10, 2, 1, 1, 2, 2, 3, 1, 1, 1, 2, 2, 1 - 5 / 12]);
    expect(values(4)).toEqual(['Tổng cộng', 12, 2, 1, 2, 2, 3, 3, 1, 1, 1, 3, 2, 1 - 5 / 14]);
    expect(sheet.getRow(2).getCell(14).numFmt).toBe('0.0%');
    expect(sheet.rowCount).toBe(4);
  });

  it('answers 422 naming the parameter for a bad period', async () => {
    const cases: Array<[string, string]> = [
      ['from=2026-12-01&to=2026-11-30', 'query.to'],
      ['from=2020-01-01&to=2025-01-01', 'query.to'],
      ['from=2026-02-30&to=2026-03-01', 'query.from'],
      ['from=2026-11-01&to=30/11/2026', 'query.to'],
      ['to=2026-11-30', 'query.from'],
      [`${PERIOD}&groupBy=sector`, 'query.groupBy'],
      [`${PERIOD}&format=pdf`, 'query.format'],
    ];
    for (const [query, path] of cases) {
      const res = await rt.api('GET', `/v1/reports/progress?${query}`);
      expect(res.status, query).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      expect(res.body.errors.map((e: any) => e.path), query).toContain(path);
    }
    // Exactly five years is allowed.
    expect((await rt.api('GET', '/v1/reports/progress?from=2021-01-01&to=2025-12-31')).status).toBe(200);
  });

  it('is in the served OpenAPI document, with the alerts', async () => {
    const doc = (await (await fetch(`${rt.base}/openapi.json`)).json()) as { paths: Record<string, any> };
    expect(Object.keys(doc.paths['/v1/reports/progress'].get.responses[200].content)).toEqual(
      ['application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    );
    expect(doc.paths['/v1/alerts'].get.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['state', 'kind', 'department']));
  });

  it('refuses a portal key', async () => {
    const portalKey = await rt.key('portal', 'dvcqg');
    expect((await rt.api('GET', `/v1/reports/progress?${PERIOD}`, undefined, portalKey)).status).toBe(403);
  });
});

describe('progress report and alerts on PGlite (the one-process store)', () => {
  it('answers the same figures and opens the same alert', async () => {
    const rt = await startTestRuntime({ store: 'pglite' });
    try {
      expect((await rt.api('PUT', `/v1/departments/${A}`, restDepartment('http://127.0.0.1:9', [P1, P2]))).status).toBe(201);
      await seedDossiers(rt.runtime.db, DOSSIERS.filter((d) => d.department === A));
      const res = await rt.api('GET', `/v1/reports/progress?${PERIOD}`);
      expect(res.status).toBe(200);
      expect(res.body.rows).toEqual([ROW_A]);
      // Running dossiers due before today (A04, A06 on 1/12/2026; more as time passes) are overdue.
      const today = vnDate(new Date());
      const expected = DOSSIERS.filter((d) => d.department === A && d.status === 'processing' && d.dueAt && vnDate(d.dueAt) < today).map((d) => d.code);
      expect(expected).toEqual(expect.arrayContaining(['A04', 'A06']));
      await rt.runtime.services.alerts.evaluate();
      const open = (await rt.api('GET', '/v1/alerts?state=open&kind=overdue')).body.items.map((a: any) => a.dossierCode).sort();
      expect(open).toEqual(expected.sort());
    } finally {
      await rt.stop();
    }
  }, 120_000);
});

describe('the report and alerts follow dossiers through the real flow (deadline columns kept by the deadlines code)', () => {
  it('a dossier resolved a day late is doneLate; a running one past its due date opens overdue until resolved', async () => {
    const { startDepartmentServer } = await import('../helpers/department-server.js');
    const { fixture, withCode } = await import('../helpers/fixtures.js');
    const { eventually } = await import('../helpers/runtime.js');
    let n = 0;
    const dept = await startDepartmentServer(() => ({ status: 201, body: { id: `REF-${++n}` } }));
    const rt = await startTestRuntime({ store: 'postgres' });
    try {
      const base = fixture('business-registration');
      expect((await rt.api('PUT', `/v1/departments/${A}`, restDepartment(dept.url, [base.procedure.code]))).status).toBe(201);
      await rt.runtime.refreshDepartments();
      const late = { ...withCode(base, 201), receivedAt: '2026-11-02T08:00:00+07:00', dueAt: '2026-11-04T17:00:00+07:00' };
      const running = { ...withCode(base, 202), receivedAt: '2026-11-02T08:00:00+07:00', dueAt: '2026-11-20T17:00:00+07:00' };
      for (const d of [late, running]) expect((await rt.api('POST', '/v1/dossiers', d)).status).toBe(202);
      const reference = async (code: string) => eventually(async () => (await rt.api('GET', `/v1/dossiers/${code}`)).body.delivery?.reference as string | undefined);
      const [refLate, refRunning] = [await reference(late.code), await reference(running.code)];
      const event = (ref: string, at: string) => rt.api('POST', `/v1/departments/${A}/events`, { applicationId: ref, state: 'DA_XU_LY', at });
      expect((await event(refLate, '2026-11-05T10:00:00+07:00')).body).toMatchObject({ status: 'resolved', applied: true });

      const report = await rt.api('GET', `/v1/reports/progress?${PERIOD}`);
      expect(report.body.rows).toEqual([
        expect.objectContaining({ key: A, received: 2, carriedOver: 0, doneEarly: 0, doneOnTime: 0, doneLate: 1, openOnTime: 0, openOverdue: 1, paused: 0, online: 0, onTimeRate: 0 }),
      ]);

      await rt.runtime.services.alerts.evaluate();
      const overdue = (await rt.api('GET', '/v1/alerts?state=open&kind=overdue')).body.items as any[];
      expect(overdue.map((a) => a.dossierCode)).toEqual([running.code]);
      expect((await event(refRunning, new Date().toISOString())).body).toMatchObject({ status: 'resolved', applied: true });
      expect(await rt.runtime.services.alerts.evaluate()).toMatchObject({ resolved: 1 });
      expect((await rt.api('GET', '/v1/alerts?state=open')).body.items).toEqual([]);
    } finally {
      await rt.stop();
      await dept.close();
    }
  }, 120_000);
});
