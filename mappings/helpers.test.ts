import { describe, expect, it } from 'vitest';
import { formatDate, removeDiacritics } from './helpers.js';

describe('formatDate', () => {
  it('formats in Asia/Ho_Chi_Minh whatever the offset of the input', () => {
    expect(formatDate('2026-11-28T09:15:00+07:00', 'yyyyMMddHHmmss')).toBe('20261128091500');
    expect(formatDate('2026-11-27T20:30:05Z', 'yyyyMMddHHmmss')).toBe('20261128033005');
    expect(formatDate('2026-11-27T20:30:05Z', 'dd/MM/yyyy')).toBe('28/11/2026');
    expect(formatDate('2026-11-27T20:30:05.250Z', 'iso')).toBe('2026-11-28T03:30:05+07:00');
    expect(formatDate(Date.UTC(2026, 0, 1, 0, 0, 0), 'iso')).toBe('2026-01-01T07:00:00+07:00');
    expect(formatDate('2026-11-28T00:00:00+07:00')).toBe('2026-11-28T00:00:00+07:00');
  });

  it('passes nothing through and refuses bad input without echoing it', () => {
    expect(formatDate(undefined, 'iso')).toBeUndefined();
    expect(() => formatDate('ngày 28', 'iso')).toThrow('$formatDate: the value is not an ISO 8601 date-time');
    expect(() => formatDate('2026-11-28T09:15:00+07:00', 'MM-dd')).toThrow(/unknown pattern "MM-dd"/);
  });
});

describe('removeDiacritics', () => {
  it('strips Vietnamese marks, đ and Đ included', () => {
    expect(removeDiacritics('Nguyễn Thị Đào, phường Đồng Tâm')).toBe('Nguyen Thi Dao, phuong Dong Tam');
    expect(removeDiacritics('Sở Kế hoạch và Đầu tư'.normalize('NFD'))).toBe('So Ke hoach va Dau tu');
    expect(removeDiacritics(undefined)).toBeUndefined();
  });
});
