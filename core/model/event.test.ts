import { describe, expect, it } from 'vitest';
import { eventIdentity } from './event.js';

describe('event identity', () => {
  it('is equal for the same dossier, status, note and instant, whatever the offset notation', () => {
    const a = eventIdentity('D1', 'processing', 'n', '2026-11-29T08:00:00+07:00');
    expect(eventIdentity('D1', 'processing', 'n', '2026-11-29T01:00:00Z')).toBe(a);
    expect(eventIdentity('D1', 'processing', 'n2', '2026-11-29T08:00:00+07:00')).not.toBe(a);
    expect(eventIdentity('D2', 'processing', 'n', '2026-11-29T08:00:00+07:00')).not.toBe(a);
    expect(eventIdentity('D1', 'resolved', 'n', '2026-11-29T08:00:00+07:00')).not.toBe(a);
    expect(eventIdentity('D1', 'processing', undefined, undefined)).toBe(eventIdentity('D1', 'processing', '', null));
  });
});
