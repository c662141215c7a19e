import { builtInDaysOff } from './holidays.js';
import { DAY_MS, dateString, dayOf, dayOfDate, dayStart, isWeekend, yearOf } from './local-time.js';
import type { ProcessingTime } from './processing-time.js';
import { DEFAULT_WORKING_HOURS, formatWorkingHours, parseWorkingHours, type WorkingPeriod } from './working-hours.js';

/**
 * One year's announcement (thông báo nghỉ lễ): `daysOff` adds days off,
 * `workingDays` makes days working days (a weekend swap, or a built-in day
 * off that was moved). Dates are `YYYY-MM-DD` of that year.
 */
export interface CalendarOverride {
  daysOff: string[];
  workingDays: string[];
}

/** A day off as `GET /v1/calendar/{year}` lists it. */
export interface NamedDayOff {
  date: string;
  name: string;
}

interface YearTable {
  first: number;
  /** 1 = working day, 0 = not, indexed by day − first. */
  working: Uint8Array;
  daysOff: NamedDayOff[];
  workingDays: string[];
}

const MINUTE = 60_000;

/**
 * Lịch làm việc: working hours Monday to Friday, minus the built-in days off
 * (holidays.ts) and the yearly overrides. Immutable: a change of overrides
 * makes a new calendar. Each year's day table is built once, on first use,
 * so a due date costs a few array reads per day it spans.
 *
 * Instants are epoch milliseconds; days are local (UTC+7) day numbers.
 */
export class WorkingCalendar {
  readonly periods: readonly WorkingPeriod[];
  /** Working milliseconds in one working day (8 h by default). */
  readonly dayMs: number;
  private readonly years = new Map<number, YearTable>();

  /** `workingHours` as `WORKING_HOURS` writes it; throws when it is malformed (config validates it first). */
  constructor(
    workingHours: string = DEFAULT_WORKING_HOURS,
    private readonly overrides: ReadonlyMap<number, CalendarOverride> = new Map(),
  ) {
    const parsed = parseWorkingHours(workingHours);
    if (!parsed.ok) throw new Error(`WORKING_HOURS: ${parsed.message}`);
    this.periods = parsed.periods;
    this.dayMs = parsed.periods.reduce((sum, p) => sum + (p.end - p.start) * MINUTE, 0);
  }

  /** The same hours with other overrides. */
  with(overrides: ReadonlyMap<number, CalendarOverride>): WorkingCalendar {
    return new WorkingCalendar(this.workingHours, overrides);
  }

  get workingHours(): string {
    return formatWorkingHours(this.periods);
  }

  private table(year: number): YearTable {
    let t = this.years.get(year);
    if (t) return t;
    const first = dayOfDate(year, 1, 1);
    const count = dayOfDate(year + 1, 1, 1) - first;
    const working = new Uint8Array(count);
    for (let i = 0; i < count; i++) working[i] = isWeekend(first + i) ? 0 : 1;
    const names = new Map<number, string>();
    for (const d of builtInDaysOff(year)) if (yearOf(d.day) === year) names.set(d.day, d.name);
    const o = this.overrides.get(year);
    for (const date of o?.daysOff ?? []) {
      const day = Date.parse(`${date}T00:00:00Z`) / DAY_MS;
      if (!names.has(day)) names.set(day, 'Ngày nghỉ theo thông báo');
    }
    const swapped = new Set((o?.workingDays ?? []).map((date) => Date.parse(`${date}T00:00:00Z`) / DAY_MS));
    for (const day of swapped) names.delete(day);
    for (const day of names.keys()) working[day - first] = 0;
    for (const day of swapped) working[day - first] = 1;
    const daysOff = [...names].sort((a, b) => a[0] - b[0]).map(([day, name]) => ({ date: dateString(day), name }));
    t = { first, working, daysOff, workingDays: [...swapped].sort((a, b) => a - b).map(dateString) };
    this.years.set(year, t);
    return t;
  }

  isWorkingDay(day: number): boolean {
    const t = this.table(yearOf(day));
    return t.working[day - t.first] === 1;
  }

  /** Every day off of `year` in date order (weekends excepted): built-in, nghỉ bù and added; minus swapped ones. */
  daysOff(year: number): NamedDayOff[] {
    return this.table(year).daysOff;
  }

  /** The days of `year` made working days by its override. */
  workingDays(year: number): string[] {
    return this.table(year).workingDays;
  }

  /** The first working day after `day`. */
  nextWorkingDay(day: number): number {
    let d = day + 1;
    while (!this.isWorkingDay(d)) d++;
    return d;
  }

  /**
   * The instant `amountMs` of working time after `fromMs`: start at `fromMs`,
   * or at the next working period when it falls outside one, and consume
   * working time period by period; exact, so time running out at a period's
   * end is due at that end (17:00 that day, not 07:30 the next).
   */
  addWorkingTime(fromMs: number, amountMs: number): number {
    let remaining = amountMs;
    let day = dayOf(fromMs);
    let t = fromMs;
    if (remaining <= 0) return fromMs;
    for (;;) {
      if (this.isWorkingDay(day)) {
        const base = dayStart(day);
        if (remaining > this.dayMs && t <= base + this.periods[0]!.start * MINUTE) {
          remaining -= this.dayMs; // a whole working day at once
        } else {
          for (const p of this.periods) {
            const end = base + p.end * MINUTE;
            if (t >= end) continue;
            const begin = Math.max(t, base + p.start * MINUTE);
            if (remaining <= end - begin) return begin + remaining;
            remaining -= end - begin;
            t = end;
          }
        }
      }
      day++;
      t = dayStart(day);
    }
  }

  /** Working time (ms) between two instants; 0 when `toMs` is not after `fromMs`. */
  workingTimeBetween(fromMs: number, toMs: number): number {
    let total = 0;
    for (let day = dayOf(fromMs); fromMs < toMs && dayStart(day) < toMs; day++) {
      if (!this.isWorkingDay(day)) continue;
      const base = dayStart(day);
      for (const p of this.periods) {
        const a = Math.max(fromMs, base + p.start * MINUTE);
        const b = Math.min(toMs, base + p.end * MINUTE);
        if (b > a) total += b - a;
      }
    }
    return total;
  }

  /** The end of the last working period of `day`. */
  endOfDay(day: number): number {
    return dayStart(day) + this.periods.at(-1)!.end * MINUTE;
  }

  /**
   * The due date (ngày hẹn trả) of `time` from `fromMs`: working time for
   * `working_days`/`working_hours`; for `days`, the end of the last working
   * period of the date `value` days after `fromMs`'s date, or of the next
   * working day when that date is not one (Civil Code 2015, Art. 148).
   */
  dueAt(fromMs: number, time: ProcessingTime): number {
    switch (time.unit) {
      case 'working_days':
        return this.addWorkingTime(fromMs, Math.round(time.value * this.dayMs));
      case 'working_hours':
        return this.addWorkingTime(fromMs, Math.round(time.value * 3_600_000));
      case 'days': {
        let day = dayOf(fromMs) + Math.round(time.value);
        if (!this.isWorkingDay(day)) day = this.nextWorkingDay(day);
        return this.endOfDay(day);
      }
    }
  }
}
