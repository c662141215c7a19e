import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../calendar/index.js';
import { calendarNextWorkingDay } from './calendar-days.js';

describe('due_soon with the working calendar', () => {
  const next = calendarNextWorkingDay(() => new WorkingCalendar());
  it.each([
    ['2026-11-30', '2026-12-01'], // Mon → Tue
    ['2026-12-04', '2026-12-07'], // Fri → Mon
    ['2026-04-29', '2026-05-04'], // before 30/4 and 1/5 (Thu, Fri) → Mon
    // Before Tết 2027: Fri 5/2 (last day of the lunar year) to Tue 9/2 (mùng 4) off; Sat 6/2 and Sun 7/2 give Wed 10/2 and Thu 11/2 (nghỉ bù).
    ['2027-02-04', '2027-02-12'],
  ])('%s → %s', async (date, expected) => {
    expect(await next(date)).toBe(expected);
  });
});
