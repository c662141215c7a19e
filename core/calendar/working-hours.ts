/**
 * Giờ làm việc: the working periods of a working day, as minutes after local
 * midnight. `WORKING_HOURS` is written `07:30-11:30,13:00-17:00` (the
 * default: 8 hours a day, a morning and an afternoon period).
 */
export interface WorkingPeriod {
  /** Minutes after local midnight the period starts. */
  start: number;
  /** Minutes after local midnight the period ends (exclusive), up to 1440. */
  end: number;
}

export const DEFAULT_WORKING_HOURS = '07:30-11:30,13:00-17:00';

export type WorkingHoursResult = { ok: true; periods: WorkingPeriod[] } | { ok: false; message: string };

const minutes = (hhmm: string): number | undefined => {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  if (mi > 59 || h > 24 || (h === 24 && mi > 0)) return undefined;
  return h * 60 + mi;
};

/** Parse `HH:MM-HH:MM[,HH:MM-HH:MM…]`: periods in order, not overlapping, each start before its end. */
export function parseWorkingHours(text: string): WorkingHoursResult {
  const periods: WorkingPeriod[] = [];
  for (const part of text.split(',')) {
    const [a, b, ...rest] = part.split('-');
    const start = a === undefined ? undefined : minutes(a);
    const end = b === undefined ? undefined : minutes(b);
    if (rest.length || start === undefined || end === undefined) {
      return { ok: false, message: `"${part.trim()}" is not a period such as 07:30-11:30 (write ${DEFAULT_WORKING_HOURS})` };
    }
    if (start >= end) return { ok: false, message: `period ${part.trim()} ends before it starts` };
    const previous = periods.at(-1);
    if (previous && start < previous.end) return { ok: false, message: `period ${part.trim()} overlaps or precedes the one before it: list periods in order` };
    periods.push({ start, end });
  }
  return { ok: true, periods };
}

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Back to the `07:30-11:30,13:00-17:00` form. */
export const formatWorkingHours = (periods: readonly WorkingPeriod[]): string => periods.map((p) => `${hhmm(p.start)}-${hhmm(p.end)}`).join(',');
