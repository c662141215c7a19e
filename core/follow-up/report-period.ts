import { invalid, type FieldIssue } from '../errors.js';

/** A report period: whole calendar days in UTC+7, `from` and `to` included. */
export interface ReportPeriod {
  from: string;
  to: string;
  /** 00:00 UTC+7 of `from`. */
  start: string;
  /** 00:00 UTC+7 of the day after `to` (exclusive). */
  end: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** The longest period a report covers. */
export const MAX_PERIOD_YEARS = 5;

/** A real calendar date `YYYY-MM-DD`, or undefined. */
function parseDate(value: string | undefined): Date | undefined {
  const m = value === undefined ? null : DATE.exec(value);
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value ? d : undefined;
}

export const vnMidnight = (date: string) => `${date}T00:00:00+07:00`;

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The calendar date of an instant in Vietnam (UTC+7, no daylight saving). */
export function vnDate(instant: Date | string): string {
  return new Date(new Date(instant).getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/**
 * Check a report period: both dates real `YYYY-MM-DD` dates, `from` not
 * after `to`, at most 5 years long (`to` before the same day 5 years after
 * `from`). Throws a 422 naming `query.from` / `query.to`.
 */
export function parsePeriod(from: string | undefined, to: string | undefined): ReportPeriod {
  const errors: FieldIssue[] = [];
  const f = parseDate(from);
  const t = parseDate(to);
  if (!f) errors.push({ path: 'query.from', message: 'must be a date YYYY-MM-DD' });
  if (!t) errors.push({ path: 'query.to', message: 'must be a date YYYY-MM-DD' });
  if (f && t) {
    const limit = new Date(f);
    limit.setUTCFullYear(limit.getUTCFullYear() + MAX_PERIOD_YEARS);
    if (t < f) errors.push({ path: 'query.to', message: 'must not be before from' });
    else if (t >= limit) errors.push({ path: 'query.to', message: `the period must be shorter than ${MAX_PERIOD_YEARS} years` });
  }
  if (errors.length || !from || !to) throw invalid('invalid report period', errors);
  return { from, to, start: vnMidnight(from), end: vnMidnight(addDays(to, 1)) };
}
