import { localIso } from '../calendar/local-time.js';
import type { ProcessingTime } from '../calendar/processing-time.js';
import type { CalendarOverride, NamedDayOff } from '../calendar/working-calendar.js';
import { changedBy } from '../audit/entry.js';
import type { Principal } from '../model/principal.js';
import { calendarOverrideSchema, yearSchema } from '../model/procedure.js';
import { invalid, zodIssues, type FieldIssue } from '../errors.js';
import type { CorePorts } from './context.js';

/** The ports CalendarService uses. */
export type CalendarPorts = Pick<CorePorts, 'deadlineStore' | 'deadlines' | 'logger'>;

/** `GET /v1/calendar/{year}`. */
export interface CalendarYear {
  year: number;
  workingHours: string;
  /** Every day off of the year in date order (weekends aside), built-in and added. */
  daysOff: NamedDayOff[];
  /** Days made working days by the year's override. */
  workingDays: string[];
}

/** Lịch làm việc: read a year, replace its overrides, and ask what the catalog would give as a due date. */
export class CalendarService {
  constructor(private readonly ctx: CalendarPorts) {}

  async year(year: number): Promise<CalendarYear> {
    const calendar = await this.ctx.deadlines.calendar();
    return { year, workingHours: calendar.workingHours, daysOff: calendar.daysOff(year), workingDays: calendar.workingDays(year) };
  }

  /** Replace the year's overrides (validated by `calendarOverrideSchema(year)`); the new calendar applies at once here. */
  async put(year: number, override: CalendarOverride, by: Principal): Promise<CalendarYear> {
    await this.ctx.deadlineStore.putOverride(year, { daysOff: [...override.daysOff].sort(), workingDays: [...override.workingDays].sort() }, changedBy(by));
    await this.ctx.deadlines.changed();
    this.ctx.logger.info({ year, daysOff: override.daysOff.length, workingDays: override.workingDays.length }, 'calendar overrides saved');
    return this.year(year);
  }

  /**
   * Several years at once (CALENDAR_FILE): `{ "2027": {daysOff, workingDays} }`.
   * Every year checked first; none saved unless all are good (422 naming each bad path).
   */
  async applyYears(doc: Record<string, unknown>, by: Principal): Promise<number[]> {
    const errors: FieldIssue[] = [];
    const good: Array<{ year: number; override: CalendarOverride }> = [];
    for (const [key, body] of Object.entries(doc)) {
      const year = yearSchema.safeParse(key);
      if (!year.success) {
        errors.push(...zodIssues(year.error.issues, key));
        continue;
      }
      const parsed = calendarOverrideSchema(year.data).safeParse(body);
      if (parsed.success) good.push({ year: year.data, override: parsed.data });
      else errors.push(...zodIssues(parsed.error.issues, key));
    }
    if (errors.length) throw invalid('calendar overrides refused; nothing was saved', errors);
    for (const g of good) await this.put(g.year, g.override, by);
    return good.map((g) => g.year);
  }

  /** `GET /v1/calendar/due`: the due date from `from` for a processing time. */
  async due(from: string, time: ProcessingTime): Promise<{ from: string; dueAt: string }> {
    const calendar = await this.ctx.deadlines.calendar();
    return { from, dueAt: localIso(calendar.dueAt(Date.parse(from), time)) };
  }
}
