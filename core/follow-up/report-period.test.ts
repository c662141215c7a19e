import { describe, expect, it } from 'vitest';
import { ProblemError } from '../errors.js';
import { addDays, parsePeriod, vnDate } from './report-period.js';

const issues = (from?: string, to?: string) => {
  try {
    parsePeriod(from, to);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(ProblemError);
    expect((err as ProblemError).status).toBe(422);
    return (err as ProblemError).errors ?? [];
  }
};

describe('report period', () => {
  it('is whole days in UTC+7, from and to included', () => {
    expect(parsePeriod('2026-11-01', '2026-11-30')).toEqual({
      from: '2026-11-01', to: '2026-11-30', start: '2026-11-01T00:00:00+07:00', end: '2026-12-01T00:00:00+07:00',
    });
    expect(parsePeriod('2026-11-30', '2026-11-30').end).toBe('2026-12-01T00:00:00+07:00');
  });

  it.each([
    ['2026-12-01', '2026-11-30', 'query.to', /before from/],
    ['2021-01-01', '2026-01-01', 'query.to', /5 years/],
    ['2026-02-29', '2026-03-01', 'query.from', /date/],
    ['2026-1-01', '2026-03-01', 'query.from', /date/],
    ['2026-11-01', '2026-11-31', 'query.to', /date/],
    [undefined, '2026-11-30', 'query.from', /date/],
  ])('refuses %s..%s naming %s', (from, to, path, message) => {
    expect(issues(from, to)).toEqual([{ path, message: expect.stringMatching(message) }]);
  });

  it('allows exactly five years and a leap day', () => {
    expect(issues('2021-01-01', '2025-12-31')).toEqual([]);
    expect(issues('2028-02-29', '2028-02-29')).toEqual([]);
  });

  it('dates instants in Vietnam', () => {
    expect(vnDate('2026-11-12T17:30:00Z')).toBe('2026-11-13');
    expect(vnDate('2026-11-12T16:59:59Z')).toBe('2026-11-12');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
