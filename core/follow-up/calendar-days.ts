import { dateString, parseDate, type WorkingCalendar } from '../calendar/index.js';
import type { NextWorkingDay } from './weekdays.js';

/**
 * `due_soon`'s "next working day" from the working calendar (days off, nghỉ
 * bù, swapped Saturdays). `calendar` is asked each time, so a calendar whose
 * yearly overrides change (PUT /v1/calendar/{year}) is used as it is now.
 */
export function calendarNextWorkingDay(calendar: () => WorkingCalendar | Promise<WorkingCalendar>): NextWorkingDay {
  return async (date) => {
    const day = parseDate(date);
    if (day === undefined) throw new Error(`not a date: ${date}`);
    return dateString((await calendar()).nextWorkingDay(day));
  };
}
