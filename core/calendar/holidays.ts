import { dayOfDate, isWeekend, weekday } from './local-time.js';
import { lunarToSolar, tet } from './lunar.js';

/** A day off of the working calendar (ngày nghỉ), by local day number. */
export interface DayOff {
  day: number;
  name: string;
}

/**
 * The built-in days off of Gregorian year `year` (Labour Code 2019, Art. 112),
 * with their *nghỉ bù*, before any override:
 * - 1/1 (Tết Dương lịch);
 * - Tết Âm lịch: the last day of the lunar year and the first four days of
 *   the new one (Vietnamese lunar calendar, UTC+7);
 * - Giỗ Tổ Hùng Vương, 10/3 lunar;
 * - 30/4 (Ngày Chiến thắng), 1/5 (Quốc tế Lao động);
 * - 2/9 (Quốc khánh) and one adjacent day. Our choice: 3/9 when 2/9 is a
 *   Thursday (a Thursday–Sunday break), otherwise 1/9. With nghỉ bù this
 *   gives the days announced in 2021–2025 (2021: 2–3/9; 2022: 1–2/9; 2023:
 *   1–2/9 and 4/9; 2024: 2–3/9; 2025: 1–2/9). A year's announcement that
 *   differs is an override.
 * - Nghỉ bù: each built-in day off on a Saturday or Sunday gives the next
 *   working day (a weekday that is not already off) off, in date order.
 * Sorted by day.
 */
export function builtInDaysOff(year: number): DayOff[] {
  const days: DayOff[] = [];
  const add = (day: number, name: string) => days.push({ day, name });
  add(dayOfDate(year, 1, 1), 'Tết Dương lịch');
  const [td, tm, ty] = tet(year);
  const newYear = dayOfDate(ty, tm, td);
  add(newYear - 1, 'Tết Nguyên Đán (ngày cuối năm âm lịch)');
  for (let i = 0; i < 4; i++) add(newYear + i, `Tết Nguyên Đán (mùng ${i + 1})`);
  const [gd, gm, gy] = lunarToSolar(10, 3, year)!;
  add(dayOfDate(gy, gm, gd), 'Giỗ Tổ Hùng Vương (10/3 âm lịch)');
  add(dayOfDate(year, 4, 30), 'Ngày Chiến thắng (30/4)');
  add(dayOfDate(year, 5, 1), 'Ngày Quốc tế Lao động (1/5)');
  const nationalDay = dayOfDate(year, 9, 2);
  const adjacent = weekday(nationalDay) === 4 ? nationalDay + 1 : nationalDay - 1;
  add(nationalDay, 'Quốc khánh (2/9)');
  add(adjacent, 'Quốc khánh (ngày liền kề)');
  days.sort((a, b) => a.day - b.day);

  const off = new Set(days.map((d) => d.day));
  const compensations: DayOff[] = [];
  for (const d of days) {
    if (!isWeekend(d.day)) continue;
    let next = d.day + 1;
    while (isWeekend(next) || off.has(next)) next++;
    off.add(next);
    compensations.push({ day: next, name: `Nghỉ bù ${d.name}` });
  }
  return [...days, ...compensations].sort((a, b) => a.day - b.day);
}
