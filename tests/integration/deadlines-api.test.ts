import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dossier } from '../../core/model/dossier.js';
import { startDepartmentServer, type DepartmentServer } from '../helpers/department-server.js';
import { fixture, withCode } from '../helpers/fixtures.js';
import { eventually, restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

/**
 * The deadline contract over real HTTP on a whole runtime (PGlite, real
 * Redis, a real department server): the catalog, the calendar, the public
 * listing, and due dates on dossiers (computed, given, none; paused and
 * moved; extended; filtered).
 */
const DEPT = '000.00.15.H63';
const SKHDT = 'Sở Kế hoạch và Đầu tư';

describe('deadlines over HTTP', () => {
  let t: TestRuntime;
  let department: DepartmentServer;
  let center: string;
  let n = 100;
  const dossier = (patch: Partial<Dossier> = {}): Dossier => {
    const d = withCode(fixture('business-registration'), ++n);
    delete d.dueAt;
    return { ...d, ...patch };
  };
  /** A department event, once the department holds the dossier (its answer to submit is in). */
  const event = async (code: string, state: string, at?: string, note?: string) => {
    await eventually(async () => (await t.api('GET', `/v1/dossiers/${code}`)).body.delivery?.state === 'delivered');
    return t.api('POST', `/v1/departments/${DEPT}/events`, { code, state, ...(at ? { at } : {}), ...(note ? { note } : {}) });
  };

  beforeAll(async () => {
    department = await startDepartmentServer();
    t = await startTestRuntime();
    center = await t.key('center', 'quay-1');
    const put = await t.api(
      'PUT',
      `/v1/departments/${DEPT}`,
      restDepartment(department.url, ['2.001610', '1.001612', '1.003560'], {
        callback: { event: '{"dossierCode": code, "status": state, "note": note, "occurredAt": at}' },
      }),
    );
    expect(put.status, JSON.stringify(put.body)).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await department?.close();
  });

  it('keeps a catalog: admin writes, any key reads, bad input is a 422 with the path', async () => {
    const body = {
      name: 'Đăng ký thành lập doanh nghiệp tư nhân',
      sector: 'Thành lập và phát triển doanh nghiệp',
      processingTime: { value: 3, unit: 'working_days' },
      fees: [{ code: 'LP01', name: 'Lệ phí đăng ký doanh nghiệp', amount: 50000 }],
      supplementPolicy: 'restart',
    };
    expect((await t.api('PUT', '/v1/procedures/2.001610', body)).status).toBe(201);
    const again = await t.api('PUT', '/v1/procedures/2.001610', body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ code: '2.001610', ...body });
    expect((await t.api('PUT', '/v1/procedures/2.001610', body, center)).status).toBe(403);
    expect((await t.api('GET', '/v1/procedures/2.001610', undefined, center)).body.processingTime).toEqual({ value: 3, unit: 'working_days' });
    expect((await t.api('PUT', '/v1/procedures/9.999999', { ...body, name: 'Tạm' })).status).toBe(201);
    expect((await t.api('GET', '/v1/procedures', undefined, center)).body.items.map((p: { code: string }) => p.code)).toEqual(['2.001610', '9.999999']);
    expect((await t.api('DELETE', '/v1/procedures/9.999999')).status).toBe(204);
    expect((await t.api('GET', '/v1/procedures/9.999999')).status).toBe(404);
    expect((await t.api('DELETE', '/v1/procedures/9.999999')).status).toBe(404);

    const bad = async (patch: object) => {
      const res = await t.api('PUT', '/v1/procedures/2.001610', { ...body, ...patch });
      expect(res.status).toBe(422);
      return res.body.errors.map((e: { path: string }) => e.path);
    };
    expect(await bad({ processingTime: { value: 3, unit: 'weeks' } })).toEqual(['processingTime.unit']);
    expect(await bad({ processingTime: { value: 0, unit: 'working_days' } })).toEqual(['processingTime.value']);
    expect(await bad({ processingTime: { value: -2, unit: 'working_hours' } })).toEqual(['processingTime.value']);
    expect(await bad({ processingTime: { value: 1001, unit: 'working_days' } })).toEqual(['processingTime.value']);
    expect(await bad({ supplementPolicy: 'ignore' })).toEqual(['supplementPolicy']);
    const code = await t.api('PUT', '/v1/procedures/not-a-code', body);
    expect(code.status).toBe(422);
    expect(code.body.errors[0].path).toBe('code');
  });

  it('answers a year of the calendar, replaces its overrides, and refuses bad ones with the path', async () => {
    const before = await t.api('GET', '/v1/calendar/2026', undefined, center);
    expect(before.status).toBe(200);
    expect(before.body.workingHours).toBe('07:30-11:30,13:00-17:00');
    const dates = before.body.daysOff.map((d: { date: string }) => d.date);
    expect(dates).toEqual(expect.arrayContaining(['2026-02-16', '2026-02-20', '2026-04-27', '2026-04-30', '2026-05-01']));
    expect(dates).not.toContain('2026-01-02');

    const put = await t.api('PUT', '/v1/calendar/2026', { daysOff: ['2026-01-02'], workingDays: ['2026-01-10'] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.daysOff.slice(0, 2)).toEqual([{ date: '2026-01-01', name: 'Tết Dương lịch' }, { date: '2026-01-02', name: 'Ngày nghỉ theo thông báo' }]);
    expect(put.body.workingDays).toEqual(['2026-01-10']);
    expect((await t.api('PUT', '/v1/calendar/2026', { daysOff: [] }, center)).status).toBe(403);
    // The swapped Saturday counts at once.
    const swap = await t.api('GET', '/v1/calendar/due?from=2026-01-09T08:00:00%2B07:00&value=1&unit=working_days', undefined, center);
    expect(swap.body.dueAt).toBe('2026-01-10T08:00:00+07:00');

    const refused = async (path: string, body?: object) => {
      const res = await t.api(body ? 'PUT' : 'GET', path, body);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      return res.body.errors.map((e: { path: string }) => e.path);
    };
    expect(await refused('/v1/calendar/1899')).toEqual(['year']);
    expect(await refused('/v1/calendar/2200')).toEqual(['year']);
    expect(await refused('/v1/calendar/abc', { daysOff: [] })).toEqual(['year']);
    expect(await refused('/v1/calendar/2027', { daysOff: ['2027-02-30'] })).toEqual(['daysOff.0']);
    expect(await refused('/v1/calendar/2027', { daysOff: ['10/02/2027'] })).toEqual(['daysOff.0']);
    expect(await refused('/v1/calendar/2027', { daysOff: ['2026-02-10'] })).toEqual(['daysOff.0']);
    expect(await refused('/v1/calendar/2027', { daysOff: ['2027-02-10', '2027-02-10'] })).toEqual(['daysOff.1']);
    expect(await refused('/v1/calendar/2027', { daysOff: ['2027-02-20'], workingDays: ['2027-02-20'] })).toEqual(['workingDays.0']);
  });

  it('GET /v1/calendar/due gives the contract examples and refuses bad input', async () => {
    const due = (from: string, value: number | string, unit: string) =>
      t.api('GET', `/v1/calendar/due?from=${encodeURIComponent(from)}&value=${value}&unit=${unit}`, undefined, center);
    expect((await due('2026-11-02T08:00:00+07:00', 2, 'working_days')).body).toEqual({ from: '2026-11-02T08:00:00+07:00', dueAt: '2026-11-04T08:00:00+07:00' });
    expect((await due('2026-11-06T16:00:00+07:00', 0.5, 'working_days')).body.dueAt).toBe('2026-11-09T10:30:00+07:00');
    expect((await due('2026-11-07T10:00:00+07:00', 1, 'working_days')).body.dueAt).toBe('2026-11-09T17:00:00+07:00');
    expect((await due('2026-11-02T08:00:00+07:00', 3, 'days')).body.dueAt).toBe('2026-11-05T17:00:00+07:00');
    const paths = async (res: Promise<{ status: number; body: { errors: Array<{ path: string }> } }>) => {
      const r = await res;
      expect(r.status).toBe(422);
      return r.body.errors.map((e) => e.path);
    };
    expect(await paths(due('2026-11-02T08:00:00+07:00', 2, 'weeks'))).toEqual(['query.unit']);
    expect(await paths(due('yesterday', 2, 'working_days'))).toEqual(['query.from']);
    expect(await paths(due('2026-11-02', 2, 'working_days'))).toEqual(['query.from']);
    expect(await paths(due('2026-11-02T08:00:00+07:00', 0, 'working_days'))).toEqual(['query.value']);
    expect(await paths(due('2026-11-02T08:00:00+07:00', -1, 'working_days'))).toEqual(['query.value']);
    expect(await paths(due('2026-11-02T08:00:00+07:00', 1001, 'working_days'))).toEqual(['query.value']);
    expect((await t.api('GET', '/v1/calendar/due?from=2026-11-02T08:00:00%2B07:00&value=1&unit=days', undefined, 'no-such-key')).status).toBe(401);
  });

  it('publishes the catalog without a key, as JSON and as a Vietnamese page', async () => {
    const res = await fetch(`${t.base}/public/procedures`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: unknown[] };
    expect(body.items).toEqual([
      {
        code: '2.001610',
        name: 'Đăng ký thành lập doanh nghiệp tư nhân',
        sector: 'Thành lập và phát triển doanh nghiệp',
        department: { id: DEPT, name: SKHDT },
        processingTime: { value: 3, unit: 'working_days' },
        fees: [{ code: 'LP01', name: 'Lệ phí đăng ký doanh nghiệp', amount: 50000 }],
      },
    ]);
    const page = await fetch(`${t.base}/public`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const text = await page.text();
    expect(text).toContain('<html lang="vi">');
    for (const s of ['Danh mục thủ tục hành chính', 'Đăng ký thành lập doanh nghiệp tư nhân', SKHDT, '3 ngày làm việc', 'Lệ phí đăng ký doanh nghiệp: 50.000 đồng', 'Cơ quan giải quyết']) {
      expect(text).toContain(s);
    }
    expect(text).not.toMatch(/<(script|link)\b|https?:\/\//);
  });

  it('gives a dossier its due date at acceptance: computed, from the center, by base code, or none', async () => {
    const computed = await t.api('POST', '/v1/dossiers', dossier({ receivedAt: '2026-11-02T08:00:00+07:00' }), center);
    expect(computed.status, JSON.stringify(computed.body)).toBe(202);
    expect(computed.body.deadline).toEqual({ dueAt: '2026-11-05T08:00:00+07:00', source: 'computed', state: 'overdue', pausedSince: null, extendedTo: null, doneAt: null });
    expect(computed.body.events[0].detail).toMatchObject({ dueAt: '2026-11-05T08:00:00+07:00', deadlineSource: 'computed' });

    const given = await t.api('POST', '/v1/dossiers', dossier({ receivedAt: '2026-11-02T08:00:00+07:00', dueAt: '2026-11-20T17:00:00+07:00' }), center);
    expect(given.body.deadline).toMatchObject({ dueAt: '2026-11-20T17:00:00+07:00', source: 'center' });

    await t.api('PUT', '/v1/procedures/1.003560', { name: 'Cấp giấy phép', processingTime: { value: 10, unit: 'days' } });
    const base = dossier({ procedure: { code: '1.003560.000.00.00.H56', name: 'Cấp giấy phép' }, receivedAt: '2026-11-02T08:00:00+07:00' });
    const byBase = await t.api('POST', '/v1/dossiers', base, center);
    expect(byBase.status, JSON.stringify(byBase.body)).toBe(202);
    expect(byBase.body.deadline).toMatchObject({ dueAt: '2026-11-12T17:00:00+07:00', source: 'computed' });

    const none = await t.api('POST', '/v1/dossiers', dossier({ procedure: { code: '1.001612', name: 'Không có trong danh mục' } }), center);
    expect(none.body.deadline).toEqual({ state: 'none' });
    const listed = await t.api('GET', '/v1/dossiers?limit=4', undefined, center);
    expect(listed.body.items.map((d: { deadline: { state: string } }) => d.deadline.state)).toEqual(['none', 'overdue', 'overdue', 'overdue']);
  });

  it('stops the clock while payment is requested and moves the due date by the working time waited', async () => {
    const d = dossier({ receivedAt: '2026-11-02T08:00:00+07:00' });
    await t.api('POST', '/v1/dossiers', d, center);
    expect((await event(d.code, 'payment_requested', '2026-11-03T08:00:00+07:00')).body.applied).toBe(true);
    const paused = await t.api('GET', `/v1/dossiers/${d.code}`, undefined, center);
    expect(paused.body.deadline).toMatchObject({ state: 'paused', pausedSince: '2026-11-03T08:00:00+07:00', dueAt: '2026-11-05T08:00:00+07:00' });
    // Waited Tue 08:00 → Wed 08:00: 8 working hours.
    await event(d.code, 'processing', '2026-11-04T08:00:00+07:00');
    const resumed = await t.api('GET', `/v1/dossiers/${d.code}`, undefined, center);
    expect(resumed.body.deadline).toMatchObject({ dueAt: '2026-11-06T08:00:00+07:00', pausedSince: null, source: 'computed' });
    const changed = resumed.body.events.filter((e: { type: string }) => e.type === 'deadline_changed');
    expect(changed).toHaveLength(1);
    expect(changed[0].detail).toEqual({ from: '2026-11-05T08:00:00+07:00', to: '2026-11-06T08:00:00+07:00', reason: 'resumed', at: '2026-11-04T08:00:00+07:00', waitedHours: 8 });
    // Resolved on the due date: on time, judged by date.
    await event(d.code, 'resolved', '2026-11-06T15:00:00+07:00');
    const done = await t.api('GET', `/v1/dossiers/${d.code}`, undefined, center);
    expect(done.body.deadline).toMatchObject({ state: 'done_on_time', doneAt: '2026-11-06T15:00:00+07:00' });
  });

  it('a supplement restarts the clock (restart) or adds the time waited (pause)', async () => {
    const restart = dossier({ receivedAt: '2026-11-02T08:00:00+07:00' });
    await t.api('POST', '/v1/dossiers', restart, center);
    await event(restart.code, 'supplement_requested', '2026-11-03T10:00:00+07:00', 'Thiếu bản sao CCCD');
    const sent = await t.api('POST', `/v1/dossiers/${restart.code}/supplements`, { note: 'Đã bổ sung', receivedAt: '2026-11-09T09:00:00+07:00', documents: [] }, center);
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    // Three working days from Mon 09:00: Thu 09:00; the status is still supplement_requested, the clock runs.
    expect(sent.body.status).toBe('supplement_requested');
    expect(sent.body.deadline).toMatchObject({ dueAt: '2026-11-12T09:00:00+07:00', pausedSince: null });
    expect(sent.body.events.at(-1)).toMatchObject({ type: 'deadline_changed', detail: { from: '2026-11-05T08:00:00+07:00', to: '2026-11-12T09:00:00+07:00', reason: 'supplement_restart' } });

    await t.api('PUT', '/v1/procedures/2.001610', { name: 'Đăng ký thành lập doanh nghiệp tư nhân', processingTime: { value: 3, unit: 'working_days' }, supplementPolicy: 'pause' });
    const pause = dossier({ receivedAt: '2026-11-02T08:00:00+07:00' });
    await t.api('POST', '/v1/dossiers', pause, center);
    await event(pause.code, 'supplement_requested', '2026-11-03T10:00:00+07:00');
    const later = await t.api('POST', `/v1/dossiers/${pause.code}/supplements`, { receivedAt: '2026-11-04T10:00:00+07:00', documents: [] }, center);
    // Waited Tue 10:00 → Wed 10:00 = 8 h: Thu 08:00 → Fri 08:00.
    expect(later.body.deadline.dueAt).toBe('2026-11-06T08:00:00+07:00');
    expect(later.body.events.at(-1).detail).toMatchObject({ reason: 'supplement_pause', waitedHours: 8 });
    // The department moving on afterwards changes nothing more.
    await event(pause.code, 'processing', '2026-11-04T11:00:00+07:00');
    const after = await t.api('GET', `/v1/dossiers/${pause.code}`, undefined, center);
    expect(after.body.events.filter((e: { type: string }) => e.type === 'deadline_changed')).toHaveLength(1);
    await t.api('PUT', '/v1/procedures/2.001610', { name: 'Đăng ký thành lập doanh nghiệp tư nhân', sector: 'Thành lập và phát triển doanh nghiệp', processingTime: { value: 3, unit: 'working_days' }, fees: [{ code: 'LP01', name: 'Lệ phí đăng ký doanh nghiệp', amount: 50000 }] });
  });

  it('an extension records the apology and new date but never moves dueAt', async () => {
    const d = dossier({ receivedAt: '2026-11-02T08:00:00+07:00' });
    await t.api('POST', '/v1/dossiers', d, center);
    const ext = await t.api('POST', `/v1/dossiers/${d.code}/extension`, { newDueAt: '2026-11-10T17:00:00+07:00', reason: 'Cần xác minh thêm' }, center);
    expect(ext.status, JSON.stringify(ext.body)).toBe(200);
    expect(ext.body.deadline).toMatchObject({ dueAt: '2026-11-05T08:00:00+07:00', extendedTo: '2026-11-10T17:00:00+07:00', state: 'overdue' });
    // The delivery's own entry may come before or after it: the dossier is delivered meanwhile.
    const extended = ext.body.events.filter((e: { type: string }) => e.type === 'extended');
    expect(extended).toEqual([expect.objectContaining({ type: 'extended', note: 'Cần xác minh thêm', detail: { dueAt: '2026-11-05T08:00:00+07:00', extendedTo: '2026-11-10T17:00:00+07:00' } })]);
    const early = await t.api('POST', `/v1/dossiers/${d.code}/extension`, { newDueAt: '2026-11-04T17:00:00+07:00', reason: 'x' }, center);
    expect(early.status).toBe(422);
    expect(early.body.errors[0].path).toBe('newDueAt');
    const malformed = await t.api('POST', `/v1/dossiers/${d.code}/extension`, { newDueAt: 'next week', reason: 'x' }, center);
    expect(malformed.body.errors[0].path).toBe('newDueAt');
    const own = await t.key('department', 'skhdt', DEPT);
    expect((await t.api('POST', `/v1/dossiers/${d.code}/extension`, { newDueAt: '2026-11-11T17:00:00+07:00', reason: 'Sở xin lỗi' }, own)).status).toBe(200);
    const other = await t.key('department', 'khac', '000.00.99.H63');
    expect((await t.api('POST', `/v1/dossiers/${d.code}/extension`, { newDueAt: '2026-11-12T17:00:00+07:00', reason: 'x' }, other)).status).toBe(404);
    const portal = await t.key('portal', 'dvcqg');
    expect((await t.api('POST', `/v1/dossiers/${d.code}/extension`, { newDueAt: '2026-11-12T17:00:00+07:00', reason: 'x' }, portal)).status).toBe(403);
    await event(d.code, 'resolved', '2026-11-10T10:00:00+07:00');
    const late = await t.api('GET', `/v1/dossiers/${d.code}`, undefined, center);
    expect(late.body.deadline.state).toBe('done_late');
    expect((await t.api('POST', `/v1/dossiers/${d.code}/extension`, { newDueAt: '2026-11-20T17:00:00+07:00', reason: 'x' }, center)).status).toBe(409);
  });

  it('filters the list by deadline state', async () => {
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');
    const soon = dossier({ receivedAt: iso(now - 3_600_000), dueAt: iso(now + 60_000) });
    const later = dossier({ receivedAt: iso(now - 3_600_000), dueAt: iso(now + 30 * 86_400_000) });
    const late = dossier({ receivedAt: iso(now - 10 * 86_400_000), dueAt: iso(now - 3 * 86_400_000) });
    const stopped = dossier({ receivedAt: iso(now - 3_600_000), dueAt: iso(now + 30 * 86_400_000) });
    for (const d of [soon, later, late, stopped]) expect((await t.api('POST', '/v1/dossiers', d, center)).status).toBe(202);
    await event(stopped.code, 'suspended');
    const codes = async (state: string) =>
      (await t.api('GET', `/v1/dossiers?deadline=${state}&limit=200`, undefined, center)).body.items.map((d: { code: string; deadline: { state: string } }) => {
        expect(d.deadline.state).toBe(state);
        return d.code;
      });
    expect(await codes('due_soon')).toContain(soon.code);
    expect(await codes('on_time')).toEqual(expect.arrayContaining([later.code]));
    expect(await codes('on_time')).not.toContain(stopped.code);
    expect(await codes('overdue')).toContain(late.code);
    expect(await codes('overdue')).not.toContain(soon.code);
    expect(await codes('paused')).toEqual([stopped.code]);
    expect((await t.api('GET', '/v1/dossiers?deadline=late', undefined, center)).status).toBe(422);
  });
});
