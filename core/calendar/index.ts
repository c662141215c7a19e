/**
 * The working calendar (lịch làm việc) and deadlines, pure code with no I/O:
 * the Vietnamese lunar calendar, built-in days off with nghỉ bù, yearly
 * overrides, working hours, due-date computation and the deadline state.
 * What other features import (alerts, reports, the console).
 */
export { WorkingCalendar, type CalendarOverride, type NamedDayOff } from './working-calendar.js';
export { deadlineState, openState, stateBounds, DEADLINE_STATES, OPEN_DEADLINE_STATES, PAUSING_STATUSES, CLOSING_STATUSES, type DeadlineState, type OpenDeadlineState, type DeadlineFacts } from './deadline-state.js';
export { processingTimeSchema, processingUnitSchema, PROCESSING_UNITS, MAX_PROCESSING, type ProcessingTime, type ProcessingUnit } from './processing-time.js';
export { parseWorkingHours, formatWorkingHours, DEFAULT_WORKING_HOURS, type WorkingPeriod } from './working-hours.js';
export { builtInDaysOff, type DayOff } from './holidays.js';
export { solarToLunar, lunarToSolar, tet, type LunarDate } from './lunar.js';
export { dayOf, dayStart, dateString, parseDate, localIso, localDate, yearOf, DAY_MS } from './local-time.js';
