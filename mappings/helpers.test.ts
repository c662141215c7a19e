import { describe, expect, it } from 'vitest';
import { departmentConfigSchema } from '../core/model/department.js';
import { formatDate, formatMoney, normalize, removeDiacritics, toNumber } from './helpers.js';
import { mapper } from './index.js';

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

describe('numbers and money', () => {
  it('reads numbers as departments write them, and nothing else', () => {
    expect(toNumber(1250000)).toBe(1250000);
    expect(toNumber('1250000')).toBe(1250000);
    expect(toNumber('1.250.000')).toBe(1250000);
    expect(toNumber('1.250.000,5')).toBe(1250000.5);
    expect(toNumber('12,5')).toBe(12.5);
    expect(toNumber('1,250,000.5')).toBe(1250000.5);
    expect(toNumber('1.250.000 ₫')).toBe(1250000);
    expect(toNumber('mười')).toBeUndefined();
    expect(toNumber('')).toBeUndefined();
    expect(toNumber(Number.NaN)).toBeUndefined();
  });

  it('formats money in Vietnamese notation', () => {
    expect(formatMoney(1250000)).toBe('1.250.000');
    expect(formatMoney('50000', 'đồng')).toBe('50.000 đồng');
    expect(formatMoney(12.5)).toBe('12,5');
    expect(formatMoney('abc')).toBeUndefined();
  });

  it('normalises Unicode', () => {
    const nfd = 'Nguyễn'.normalize('NFD');
    expect(normalize(nfd)).toBe('Nguyễn'.normalize('NFC'));
    expect(normalize('Nguyễn', 'NFD')).toBe(nfd);
    expect(() => normalize('x', 'NFX')).toThrow(/unknown form/);
  });
});

describe('$code and the helpers inside expressions', () => {
  const config = departmentConfigSchema.parse({
    name: 'Sở Tư pháp',
    transport: { type: 'rest', baseUrl: 'http://127.0.0.1:1' },
    operations: {
      submit: {
        request:
          '{"gioiTinh": $code("gioiTinh", dossier.data.treEm.gioiTinh), "kenh": $code("kenh", dossier.channel, "9"), "phi": $formatMoney(12000, "đồng"), "ten": $removeDiacritics(dossier.applicant.name), "ngay": $formatDate(dossier.receivedAt, "dd/MM/yyyy")}',
      },
    },
    codeTables: { gioiTinh: { Nam: '1', 'Nữ': '2' }, kenh: { counter: 'TQ' } },
  });
  const dossier = { applicant: { name: 'Lê Minh Châu' }, channel: 'postal', receivedAt: '2026-11-28T14:40:00+07:00', data: { treEm: { gioiTinh: 'Nam' } } };

  it('looks codes up in the department code tables, with a fallback', async () => {
    expect(await mapper.request(config, 'submit', { dossier } as never)).toEqual({ gioiTinh: '1', kenh: '9', phi: '12.000 đồng', ten: 'Le Minh Chau', ngay: '28/11/2026' });
  });

  it('fails visibly on a code the table does not have', async () => {
    const other = { ...dossier, data: { treEm: { gioiTinh: 'Khác' } } };
    await expect(mapper.request(config, 'submit', { dossier: other } as never)).rejects.toThrow(/gioiTinh/);
  });
});
