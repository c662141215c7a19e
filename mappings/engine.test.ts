import { describe, expect, it } from 'vitest';
import { DeliveryError, failureKind } from '../core/errors.js';
import { departmentConfigSchema, type DepartmentConfig } from '../core/model/department.js';
import { dossierSchema, type Dossier } from '../core/model/dossier.js';
import { fixture } from '../tests/helpers/fixtures.js';
import { JsonataMapper, mapper, MappingError } from './index.js';

const dossier: Dossier = dossierSchema.parse(fixture('business-registration'));

function department(parts: Record<string, unknown> = {}): DepartmentConfig {
  return departmentConfigSchema.parse({
    name: 'Sở Kế hoạch và Đầu tư',
    transport: { type: 'rest', baseUrl: 'http://127.0.0.1:9101' },
    operations: { submit: {} },
    ...parts,
  });
}

async function failure(promise: Promise<unknown>): Promise<MappingError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(MappingError);
  return err as MappingError;
}

describe('check', () => {
  it('is empty when every expression compiles', () => {
    const config = department({
      operations: { submit: { request: '{"maHoSo": dossier.code}', reference: 'id' }, status: { event: '{"status": trangThai}' } },
      callback: { event: '{"status": status}' },
    });
    expect(mapper.check(config)).toEqual([]);
  });

  it('names each broken expression by its path, with position and token', () => {
    const config = department({
      operations: { submit: { request: '{"maHoSo": dossier.code', reference: 'id' }, withdraw: { request: 'a.b +' } },
      callback: { event: '$$$(' },
    });
    const issues = mapper.check(config);
    expect(issues.map((i) => i.path)).toEqual(['operations.submit.request', 'operations.withdraw.request', 'callback.event']);
    expect(issues[0]?.message).toMatch(/ at position \d+ \(token "\(end\)"\)$/);
    expect(issues[1]?.message).toContain('Unexpected end of expression');
  });
});

describe('request', () => {
  it('sends the canonical message unchanged when there is no expression', async () => {
    const message = { dossier };
    expect(await mapper.request(department(), 'submit', message)).toBe(message);
  });

  it('maps the dossier into the department shape, Vietnamese text intact', async () => {
    const config = department({
      operations: {
        submit: {
          request: `{
            "maHoSo": dossier.code,
            "tenNguoiNop": dossier.applicant.name,
            "tenKhongDau": $removeDiacritics(dossier.applicant.name),
            "ngayNhan": $formatDate(dossier.receivedAt, "yyyyMMddHHmmss"),
            "giayTo": dossier.documents.{"ma": componentCode, "url": url}
          }`,
        },
      },
    });
    expect(await mapper.request(config, 'submit', { dossier })).toEqual({
      maHoSo: '000.00.00.H63-261128-0001',
      tenNguoiNop: 'Nguyễn Thị Lan',
      tenKhongDau: 'Nguyen Thi Lan',
      ngayNhan: '20261128091500',
      giayTo: [
        { ma: 'TP1', url: 'http://127.0.0.1:9199/files/tp1.pdf' },
        { ma: 'TP2', url: 'http://127.0.0.1:9199/files/tp2.jpg' },
      ],
    });
  });

  it('fails permanently, naming the expression, without echoing personal data', async () => {
    const config = department({ operations: { submit: { request: '{"so": $number(dossier.applicant.name)}' } } });
    const err = await failure(mapper.request(config, 'submit', { dossier }));
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err.kind).toBe('permanent');
    expect(failureKind(err)).toBe('permanent');
    expect(err.name).toBe('MappingError');
    expect(err.expression).toBe('operations.submit.request');
    expect(err.jsonataCode).toBe('D3030');
    expect(err.message).toMatch(/^mapping operations\.submit\.request failed: Unable to cast value to a number/);
    expect(err.message).not.toContain('Nguyễn');
  });
});

describe('reference', () => {
  const config = (reference?: string) => department({ operations: { submit: reference ? { reference } : {} } });

  it('reads the department id as a string, numbers included', async () => {
    expect(await mapper.reference(config('data.id'), { data: { id: 'SKH-2026-00042' } })).toBe('SKH-2026-00042');
    expect(await mapper.reference(config('soBienNhan'), { soBienNhan: 4711 })).toBe('4711');
  });

  it('is undefined without an expression or when it yields nothing', async () => {
    expect(await mapper.reference(config(), { id: 'x' })).toBeUndefined();
    expect(await mapper.reference(config('id'), { other: 1 })).toBeUndefined();
    expect(await mapper.reference(config('id'), { id: '  ' })).toBeUndefined();
    expect(await mapper.reference(config('id'), 'plain text answer')).toBeUndefined();
  });

  it('refuses an object', async () => {
    const err = await failure(mapper.reference(config('data'), { data: { id: 1 } }));
    expect(err.message).toContain('must yield a string or a number, got object');
  });
});

describe('event', () => {
  const config = department({
    operations: { submit: {}, status: { event: '{"status": trangThai, "note": ghiChu, "occurredAt": thoiGian}' } },
    callback: { event: 'payload.{"dossierCode": maHoSo, "status": trangThai}' },
    statusMap: { DANG_XU_LY: 'processing', DA_TRA_KQ: 'resolved' },
  });

  it('maps a polled answer and applies statusMap', async () => {
    const answer = { trangThai: 'DANG_XU_LY', ghiChu: 'Đang thẩm định', thoiGian: '2026-11-29T08:00:00+07:00' };
    expect(await mapper.event(config, 'status', answer)).toEqual({ status: 'processing', note: 'Đang thẩm định', occurredAt: '2026-11-29T08:00:00+07:00' });
  });

  it('takes a single result object (a one-element JSONata sequence) as a list of one', async () => {
    const c = department({ operations: { submit: {}, status: { event: '{"status": s, "results": kq.{"name": ten, "url": url}}' } } });
    const one = await mapper.event(c, 'status', { s: 'resolved', kq: [{ ten: 'GCN', url: 'http://x/1.pdf' }] });
    expect(one?.results).toEqual([{ name: 'GCN', url: 'http://x/1.pdf' }]);
    const two = await mapper.event(c, 'status', { s: 'resolved', kq: [{ ten: 'A', url: 'http://x/a' }, { ten: 'B', url: 'http://x/b' }] });
    expect(two?.results).toHaveLength(2);
  });

  it('uses callback.event for pushed events and keeps an unknown status as it is', async () => {
    const event = await mapper.event(config, 'callback', { payload: { maHoSo: 'X-1', trangThai: 'KHONG_RO' } });
    expect(event).toEqual({ dossierCode: 'X-1', status: 'KHONG_RO' });
  });

  it('takes the answer itself as the event without an expression', async () => {
    const bare = department({ statusMap: { DA_TRA_KQ: 'resolved' } });
    expect(await mapper.event(bare, 'callback', { status: 'DA_TRA_KQ', extra: 1 })).toEqual({ status: 'resolved' });
  });

  it('is undefined when the expression yields nothing (no news)', async () => {
    expect(await mapper.event(config, 'callback', { ping: true })).toBeUndefined();
  });

  it('refuses a result that is not a canonical event, listing the bad paths', async () => {
    const err = await failure(mapper.event(config, 'status', { trangThai: 7, thoiGian: 'hôm qua' }));
    expect(err.kind).toBe('permanent');
    expect(err.expression).toBe('operations.status.event');
    expect(err.issues.map((i) => i.path).sort()).toEqual(['occurredAt', 'status']);
    expect(err.message).toMatch(/^mapping operations\.status\.event failed: the result is not a canonical event \(/);
  });
});

describe('guardrails', () => {
  const guarded = new JsonataMapper({ timeoutMs: 200 });
  const run = (request: string) => guarded.request(department({ operations: { submit: { request } } }), 'submit', { dossier });

  it('stops a never-ending tail recursion by time', async () => {
    const started = Date.now();
    const err = await failure(run('($loop := function($n) { $loop($n + 1) }; $loop(0))'));
    expect(err.jsonataCode).toBe('D1012');
    expect(err.message).toContain('timeout after 200 milliseconds');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops a runaway recursion by depth', async () => {
    const err = await failure(run('($deep := function($n) { 1 + $deep($n + 1) }; $deep(0))'));
    expect(err.jsonataCode).toBe('D1011');
    expect(err.kind).toBe('permanent');
  });

  it('still allows honest recursion', async () => {
    expect(await run('($sum := function($n) { $n = 0 ? 0 : $n + $sum($n - 1) }; $sum(200))')).toBe(20100);
  });

  it('keeps a bounded cache of compiled expressions, least recently used dropped first', () => {
    const small = new JsonataMapper({ cacheSize: 2 });
    const a = small.compile('a');
    const b = small.compile('b');
    expect(small.compile('a')).toBe(a);
    small.compile('c');
    expect(small.compile('a')).toBe(a);
    expect(small.compile('b')).not.toBe(b);
  });
});
