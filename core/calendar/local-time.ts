/**
 * Local time of the center: Asia/Ho_Chi_Minh, a fixed UTC+7 (no daylight
 * saving since 1975). Days are counted as *day numbers*: whole local days
 * since 1970-01-01, so that a day's table lookup is an array index.
 */

export const DAY_MS = 86_400_000;
export const OFFSET_MS = 7 * 3_600_000;

/** The local day number of an instant (epoch milliseconds). */
export const dayOf = (ms: number): number => Math.floor((ms + OFFSET_MS) / DAY_MS);

/** The instant local midnight of day `day` begins. */
export const dayStart = (day: number): number => day * DAY_MS - OFFSET_MS;

/** 0 = Sunday … 6 = Saturday. */
export const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;

export const isWeekend = (day: number): boolean => {
  const w = weekday(day);
  return w === 0 || w === 6;
};

/** Day number of a Gregorian date. */
export const dayOfDate = (year: number, month: number, date: number): number => Date.UTC(year, month - 1, date) / DAY_MS;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `YYYY-MM-DD` of a day number. */
export function dateString(day: number): string {
  const d = new Date(day * DAY_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The Gregorian year of a day number. */
export const yearOf = (day: number): number => new Date(day * DAY_MS).getUTCFullYear();

/** Day number of a `YYYY-MM-DD` string; undefined when it is not a real date. */
export function parseDate(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = dayOfDate(y, mo, d);
  return dateString(day) === text ? day : undefined;
}

/** ISO 8601 with the +07:00 offset, the way the contract shows instants: `2026-11-04T08:00:00+07:00`. */
export function localIso(ms: number): string {
  const d = new Date(ms + OFFSET_MS);
  const frac = d.getUTCMilliseconds() ? `.${pad(d.getUTCMilliseconds(), 3)}` : '';
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac}+07:00`
  );
}

/** The local calendar date (`YYYY-MM-DD`) of an ISO instant or epoch ms. */
export const localDate = (instant: string | number): string =>
  dateString(dayOf(typeof instant === 'number' ? instant : Date.parse(instant)));
