import { describe, expect, it } from 'vitest';
import { deadlineState } from './deadline-state.js';
import { localIso, parseDate } from './local-time.js';
import type { ProcessingTime } from './processing-time.js';
import { WorkingCalendar } from './working-calendar.js';
import { parseWorkingHours } from './working-hours.js';

/** 2026 as announced: Fri 2/1 off, swapped for Sat 10/1 (a working day). */
const announced2026 = new Map([[2026, { daysOff: ['2026-01-02'], workingDays: ['2026-01-10'] }]]);
const cal = new WorkingCalendar(undefined, announced2026);
const at = (s: string) => Date.parse(s);
const due = (from: string, value: number, unit: ProcessingTime['unit'], c = cal) => localIso(c.dueAt(at(from), { value, unit }));
const working = (date: string) => cal.isWorkingDay(parseDate(date)!);

describe('due dates (the contract examples and more)', () => {
  it.each([
    // The contract's three examples.
    ['2026-11-02T08:00:00+07:00', 2, 'working_days', '2026-11-04T08:00:00+07:00'],
    ['2026-11-06T16:00:00+07:00', 0.5, 'working_days', '2026-11-09T10:30:00+07:00'],
    ['2026-11-07T10:00:00+07:00', 1, 'working_days', '2026-11-09T17:00:00+07:00'],
    // Time that runs out at a period's end is due then.
    ['2026-11-02T07:30:00+07:00', 1, 'working_days', '2026-11-02T17:00:00+07:00'],
    ['2026-11-02T07:30:00+07:00', 4, 'working_hours', '2026-11-02T11:30:00+07:00'],
    // Lunch break and after hours.
    ['2026-11-02T12:00:00+07:00', 1, 'working_hours', '2026-11-02T14:00:00+07:00'],
    ['2026-11-02T18:00:00+07:00', 1, 'working_hours', '2026-11-03T08:30:00+07:00'],
    ['2026-11-02T11:00:00+07:00', 1, 'working_hours', '2026-11-02T13:30:00+07:00'],
    // Instants given in UTC work the same.
    ['2026-11-02T01:00:00Z', 2, 'working_days', '2026-11-04T08:00:00+07:00'],
    // Tết 2026: Mon 16/2 – Fri 20/2 off; from Fri 13/2 16:00, 1 day → Mon 23/2 16:00.
    ['2026-02-13T16:00:00+07:00', 1, 'working_days', '2026-02-23T16:00:00+07:00'],
    // Giỗ Tổ 2026 is a Sunday → Mon 27/4 off (nghỉ bù); 30/4 Thu, 1/5 Fri off.
    ['2026-04-24T08:00:00+07:00', 2, 'working_days', '2026-04-29T08:00:00+07:00'],
    ['2026-04-29T08:00:00+07:00', 2, 'working_days', '2026-05-05T08:00:00+07:00'],
    // The swapped Saturday 10/1/2026 counts; Fri 2/1 does not.
    ['2026-01-01T08:00:00+07:00', 1, 'working_days', '2026-01-05T17:00:00+07:00'],
    ['2026-01-09T08:00:00+07:00', 1, 'working_days', '2026-01-10T08:00:00+07:00'],
    // 2027 (computed): Tết Fri 5/2 – Tue 9/2 + nghỉ bù Wed 10/2, Thu 11/2 for Sat 6/2 and Sun 7/2.
    ['2027-02-04T08:00:00+07:00', 1, 'working_days', '2027-02-12T08:00:00+07:00'],
    // 2027: 1/5 a Saturday → Mon 3/5 off.
    ['2027-04-29T08:00:00+07:00', 2, 'working_days', '2027-05-05T08:00:00+07:00'],
    // Calendar days: the end of the last period of the date n days on; on a day off, of the next working day.
    ['2026-11-02T08:00:00+07:00', 3, 'days', '2026-11-05T17:00:00+07:00'],
    ['2026-11-02T08:00:00+07:00', 5, 'days', '2026-11-09T17:00:00+07:00'],
    ['2026-04-25T08:00:00+07:00', 5, 'days', '2026-05-04T17:00:00+07:00'],
    ['2026-11-02T23:30:00+07:00', 1, 'days', '2026-11-03T17:00:00+07:00'],
    // Lunar edge years: Tết 1985 was Mon 21/1 (Sun 20/1 the last day of the year → nghỉ bù Fri 25/1);
    // 2007 Sat 17/2 (Fri 16/2 – Tue 20/2 + nghỉ bù Wed 21, Thu 22); 2030 Sat 2/2; 2053 Tue 18/2.
    ['1985-01-18T08:00:00+07:00', 1, 'working_days', '1985-01-28T08:00:00+07:00'],
    ['2007-02-15T08:00:00+07:00', 1, 'working_days', '2007-02-23T08:00:00+07:00'],
    ['2053-02-14T08:00:00+07:00', 1, 'working_days', '2053-02-24T08:00:00+07:00'],
    ['2030-01-31T08:00:00+07:00', 1, 'working_days', '2030-02-08T08:00:00+07:00'],
  ] as const)('from %s, %d %s → %s', (from, value, unit, expected) => {
    expect(due(from, value, unit)).toBe(expected);
  });

  it('other working hours change the day', () => {
    const thanhHoa = new WorkingCalendar('07:00-11:30,13:30-17:00');
    expect(thanhHoa.dayMs).toBe(8 * 3_600_000);
    expect(due('2026-11-02T07:00:00+07:00', 0.5, 'working_days', thanhHoa)).toBe('2026-11-02T11:00:00+07:00');
  });

  it('working time between two instants', () => {
    const h = 3_600_000;
    expect(cal.workingTimeBetween(at('2026-11-02T08:00:00+07:00'), at('2026-11-04T08:00:00+07:00'))).toBe(16 * h);
    expect(cal.workingTimeBetween(at('2026-11-06T16:00:00+07:00'), at('2026-11-09T10:30:00+07:00'))).toBe(4 * h);
    expect(cal.workingTimeBetween(at('2026-11-07T10:00:00+07:00'), at('2026-11-08T10:00:00+07:00'))).toBe(0);
    expect(cal.workingTimeBetween(at('2026-11-04T08:00:00+07:00'), at('2026-11-02T08:00:00+07:00'))).toBe(0);
  });
});

describe('days off', () => {
  it.each([
    ['2026-01-01', false], ['2026-01-02', false], ['2026-01-10', true], ['2026-01-05', true],
    ['2026-02-13', true], ['2026-02-16', false], ['2026-02-17', false], ['2026-02-20', false], ['2026-02-23', true],
    ['2026-04-26', false], ['2026-04-27', false], ['2026-04-28', true], ['2026-04-30', false], ['2026-05-01', false],
    ['2026-09-01', false], ['2026-09-02', false], ['2026-09-03', true],
    ['2027-02-05', false], ['2027-02-09', false], ['2027-02-10', false], ['2027-02-11', false], ['2027-02-12', true],
    ['2027-04-16', false], ['2027-05-03', false], ['2027-09-02', false], ['2027-09-03', false], ['2027-09-01', true],
    // Quốc khánh as announced 2023 (Sat: 1/9 Fri + nghỉ bù Mon 4/9) and 2024 (Mon: 1/9 Sun → Tue 3/9).
    ['2023-09-01', false], ['2023-09-04', false], ['2023-09-05', true], ['2024-09-02', false], ['2024-09-03', false], ['2024-09-04', true],
    ['1985-01-18', true], ['1985-01-21', false], ['1985-01-24', false], ['1985-01-25', false], ['1985-01-28', true],
  ])('%s is a working day: %s', (date, expected) => {
    expect(working(date)).toBe(expected);
  });

  it('lists a year in date order, named, with the added days and without the swapped ones', () => {
    const year = cal.daysOff(2026);
    expect(year.map((d) => d.date)).toEqual([
      '2026-01-01', '2026-01-02', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20',
      '2026-04-26', '2026-04-27', '2026-04-30', '2026-05-01', '2026-09-01', '2026-09-02',
    ]);
    expect(year[7]!.name).toMatch(/Giỗ Tổ/);
    expect(year[8]!.name).toMatch(/^Nghỉ bù Giỗ Tổ/);
    expect(cal.workingDays(2026)).toEqual(['2026-01-10']);
    // A working-day override removes a built-in day off (a moved holiday).
    const moved = new WorkingCalendar(undefined, new Map([[2027, { daysOff: ['2027-02-12'], workingDays: ['2027-02-11'] }]]));
    expect(moved.daysOff(2027).map((d) => d.date)).toContain('2027-02-12');
    expect(moved.daysOff(2027).map((d) => d.date)).not.toContain('2027-02-11');
    expect(moved.isWorkingDay(parseDate('2027-02-11')!)).toBe(true);
  });
});

describe('deadline state', () => {
  const dueAt = '2026-11-04T08:00:00+07:00';
  const now = (s: string) => at(s);
  it.each([
    [{ status: 'processing', dueAt: null }, '2026-11-02T09:00:00+07:00', 'none'],
    [{ status: 'processing', dueAt }, '2026-11-02T09:00:00+07:00', 'on_time'],
    [{ status: 'processing', dueAt }, '2026-11-03T09:00:00+07:00', 'due_soon'],
    [{ status: 'processing', dueAt }, '2026-11-04T16:59:00+07:00', 'due_soon'],
    [{ status: 'processing', dueAt }, '2026-11-05T00:00:00+07:00', 'overdue'],
    // Due Monday, seen on Friday: Monday is the next working day.
    [{ status: 'processing', dueAt: '2026-11-09T17:00:00+07:00' }, '2026-11-06T10:00:00+07:00', 'due_soon'],
    [{ status: 'processing', dueAt: '2026-11-09T17:00:00+07:00' }, '2026-11-05T10:00:00+07:00', 'on_time'],
    [{ status: 'supplement_requested', dueAt, pausedSince: '2026-11-05T09:00:00+07:00' }, '2026-11-20T09:00:00+07:00', 'paused'],
    // Supplement forwarded: the clock runs though the status is unchanged.
    [{ status: 'supplement_requested', dueAt }, '2026-11-20T09:00:00+07:00', 'overdue'],
    [{ status: 'resolved', dueAt, doneAt: '2026-11-03T09:00:00+07:00' }, '2026-11-20T09:00:00+07:00', 'done_early'],
    [{ status: 'resolved', dueAt, doneAt: '2026-11-04T16:00:00+07:00' }, '2026-11-20T09:00:00+07:00', 'done_on_time'],
    [{ status: 'returned', dueAt, doneAt: '2026-11-05T08:00:00+07:00' }, '2026-11-20T09:00:00+07:00', 'done_late'],
    [{ status: 'withdrawn', dueAt, closedAt: '2026-11-03T09:00:00+07:00' }, '2026-11-20T09:00:00+07:00', 'closed'],
    [{ status: 'not_accepted', dueAt }, '2026-11-20T09:00:00+07:00', 'closed'],
  ])('%o at %s is %s', (facts, when, expected) => {
    expect(deadlineState(facts, now(when), cal)).toBe(expected);
  });
});

describe('WORKING_HOURS', () => {
  it('parses the default and refuses nonsense', () => {
    expect(parseWorkingHours('07:30-11:30,13:00-17:00')).toEqual({ ok: true, periods: [{ start: 450, end: 690 }, { start: 780, end: 1020 }] });
    for (const bad of ['', '7:30-11:30', '11:30-07:30', '07:30-12:00,11:00-17:00', '07:30-25:00', '07:30']) {
      expect(parseWorkingHours(bad).ok).toBe(false);
    }
  });
});
