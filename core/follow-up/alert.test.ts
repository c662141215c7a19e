import { describe, expect, it } from 'vitest';
import { scrub } from './alert.js';
import { signBody, verifySignature } from './signature.js';
import { nextWeekday } from './weekdays.js';

describe('alert details carry no personal data', () => {
  it('masks id numbers, phone numbers and e-mail addresses, keeps codes and statuses', () => {
    expect(scrub('HTTP 400 from POST http://10.0.0.5:9101/applications: CCCD 015190001234, SĐT 0912 345 678, lan@example.vn')).toBe(
      'HTTP 400 from POST http://10.0.0.5:9101/applications: CCCD ***, SĐT ***, ***@***',
    );
    expect(scrub('hồ sơ 000.00.00.H63-261128-0001 thủ tục 2.001610')).toBe('hồ sơ 000.00.00.H63-261128-0001 thủ tục 2.001610');
    expect(scrub(null)).toBeNull();
    expect(scrub('x'.repeat(400))).toHaveLength(301);
  });
});

describe('webhook signature', () => {
  it('is sha256=<hex HMAC-SHA256 of the body>', () => {
    // RFC 4231 test case 2.
    expect(signBody('what do ya want for nothing?', 'Jefe')).toBe('sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(verifySignature('{"a":1}', signBody('{"a":1}', 's3cret-s3cret-s3cret'), 's3cret-s3cret-s3cret')).toBe(true);
    expect(verifySignature('{"a":2}', signBody('{"a":1}', 's3cret-s3cret-s3cret'), 's3cret-s3cret-s3cret')).toBe(false);
    expect(verifySignature('{"a":1}', undefined, 'x')).toBe(false);
  });
});

describe('next working day without the calendar (weekdays only)', () => {
  it.each([
    ['2026-11-30', '2026-12-01'], // Mon → Tue
    ['2026-12-04', '2026-12-07'], // Fri → Mon
    ['2026-12-05', '2026-12-07'], // Sat → Mon
  ])('%s → %s', (date, next) => expect(nextWeekday(date)).toBe(next));
});
