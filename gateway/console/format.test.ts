import { describe, expect, it } from 'vitest';
import { alertDetailText, formatDateTime, localDate, localDateTime, maskIdNumber, statusName } from './format.js';

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
  it('says what an alert is about in one line', () => {
    expect(alertDetailText('overdue', { dueAt: '2026-11-30T10:00:00Z', procedure: '2.001610', status: 'processing' })).toBe('Hạn trả: 30/11/2026 17:00 · Trạng thái: Đang xử lý');
    expect(alertDetailText('delivery_failed', { operation: 'submit', state: 'failed', attempts: 8, acceptedAt: '2026-11-28T02:15:00Z', lastError: 'HTTP 503' })).toBe(
      'Thao tác: Gửi hồ sơ · Số lần gửi: 8 · Tiếp nhận lúc: 28/11/2026 09:15 · Lỗi: HTTP 503',
    );
    expect(alertDetailText('department_down', { source: 'circuit', circuit: 'open', since: '2026-12-01T01:00:00Z', consecutiveFailures: 5, lastError: 'ECONNREFUSED' })).toBe(
      'Kết nối: ngắt (mở) · Từ: 01/12/2026 08:00 · Lỗi liên tiếp: 5 · Lỗi: ECONNREFUSED',
    );
    expect(alertDetailText('department_down', { source: 'check', detail: 'HTTP 500', latencyMs: 12 })).toBe('Kiểm tra kết nối thất bại: HTTP 500');
    expect(alertDetailText('portal_rejected', { message: 'Thiếu thông tin', since: null })).toBe('DVCQG trả lời: Thiếu thông tin');
  });
  it('reads a typed Vietnam date and time, refusing what is not one', () => {
    expect(localDateTime('15/12/2026 16:30')).toBe('2026-12-15T16:30:00+07:00');
    expect(localDateTime(' 5/1/2027 8:05 ')).toBe('2027-01-05T08:05:00+07:00');
    expect(localDateTime('2026-12-15T16:30')).toBe('2026-12-15T16:30:00+07:00');
    for (const bad of ['31/02/2026 10:00', '15/12/2026', '12/15/2026 25:00', '2026-12-15', 'mai']) expect(localDateTime(bad), bad).toBeUndefined();
  });
  it('reads a typed date', () => {
    expect(localDate('01/12/2026')).toBe('2026-12-01');
    expect(localDate('2026-12-01')).toBe('2026-12-01');
    expect(localDate('30/02/2026')).toBeUndefined();
    expect(localDate('12/2026')).toBeUndefined();
  });
});
