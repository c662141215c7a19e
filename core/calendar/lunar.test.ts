import { describe, expect, it } from 'vitest';
import { lunarToSolar, solarToLunar, tet } from './lunar.js';

const d = (s: [number, number, number]) => `${s[2]}-${String(s[1]).padStart(2, '0')}-${String(s[0]).padStart(2, '0')}`;

describe('Vietnamese lunar calendar (UTC+7)', () => {
  // Known Tết Nguyên Đán dates; the first six differ from, or are checked against, the Chinese (UTC+8) calendar.
  it.each([
    [1968, '1968-01-29', '1968-01-30'], // Mậu Thân: the North (UTC+7) a day before the South (then UTC+8)
    [1985, '1985-01-21', '1985-02-20'],
    [2007, '2007-02-17', '2007-02-18'],
    [2030, '2030-02-02', '2030-02-03'],
    [2053, '2053-02-18', '2053-02-19'],
    [2020, '2020-01-25', '2020-01-25'],
    [2023, '2023-01-22', '2023-01-22'],
    [2024, '2024-02-10', '2024-02-10'],
    [2025, '2025-01-29', '2025-01-29'],
    [2026, '2026-02-17', '2026-02-17'],
    [2027, '2027-02-06', '2027-02-06'],
  ])('Tết %i is %s (UTC+8 would say %s)', (year, vn, cn) => {
    expect(d(tet(year))).toBe(vn);
    expect(d(tet(year, 8))).toBe(cn);
  });

  it.each([
    [2020, '2020-04-02'], // leap 4th month that year: no effect on 10/3
    [2023, '2023-04-29'], // after the leap 2nd month
    [2024, '2024-04-18'],
    [2025, '2025-04-07'],
    [2026, '2026-04-26'],
    [2027, '2027-04-16'],
  ])('Giỗ Tổ (10/3 lunar) %i is %s', (year, date) => {
    expect(d(lunarToSolar(10, 3, year)!)).toBe(date);
  });

  it('knows leap months and round-trips', () => {
    expect(solarToLunar(22, 3, 2023)).toEqual({ day: 1, month: 2, year: 2023, leap: true });
    expect(lunarToSolar(1, 2, 2023, true)).toEqual([22, 3, 2023]);
    expect(lunarToSolar(1, 5, 2023, true)).toBeUndefined();
    expect(solarToLunar(16, 2, 2026)).toEqual({ day: 29, month: 12, year: 2025, leap: false });
    for (let day = 1; day <= 365; day += 7) {
      const date = new Date(Date.UTC(2033, 0, day));
      const l = solarToLunar(date.getUTCDate(), date.getUTCMonth() + 1, 2033);
      expect(lunarToSolar(l.day, l.month, l.year, l.leap)).toEqual([date.getUTCDate(), date.getUTCMonth() + 1, 2033]);
    }
  });
});
