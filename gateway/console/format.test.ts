import { describe, expect, it } from 'vitest';
import { formatDateTime, maskIdNumber, statusName } from './format.js';

describe('console formats', () => {
  it('writes instants as dd/MM/yyyy HH:mm in UTC+7', () => {
    expect(formatDateTime('2026-11-28T02:15:00Z')).toBe('28/11/2026 09:15');
    expect(formatDateTime('2026-12-31T17:30:00Z')).toBe('01/01/2027 00:30');
    expect(formatDateTime('2026-11-28T09:15:00+07:00')).toBe('28/11/2026 09:15');
  });
  it('masks an id number but for its last 4 digits', () => {
    expect(maskIdNumber('015190001234')).toBe('********1234');
    expect(maskIdNumber('123')).toBe('***');
  });
  it('names statuses as the portal table does', () => {
    expect(statusName('processing')).toBe('Đang xử lý');
    expect(statusName('resolved')).toBe('Đã xử lý xong');
  });
});
