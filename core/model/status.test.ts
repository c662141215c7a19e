import { describe, expect, it } from 'vitest';
import { canTransition, isFinal, STATUS_CODES, STATUSES } from './status.js';

describe('statuses and their moves', () => {
  it('carries the portal codes 1–10', () => {
    expect(STATUSES.map((s) => STATUS_CODES[s])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('allows exactly the moves of the contract table', () => {
    const allowed = (from: (typeof STATUSES)[number]) => STATUSES.filter((to) => canTransition(from, to));
    expect(allowed('registered')).toEqual(['received', 'not_accepted', 'withdrawn']);
    expect(allowed('received')).toEqual(['not_accepted', 'processing', 'supplement_requested', 'payment_requested', 'withdrawn', 'suspended', 'resolved']);
    for (const s of ['processing', 'supplement_requested', 'payment_requested'] as const) {
      expect(allowed(s)).toEqual(['processing', 'supplement_requested', 'payment_requested', 'withdrawn', 'suspended', 'resolved']);
    }
    expect(allowed('suspended')).toEqual(['processing', 'returned']);
    expect(allowed('resolved')).toEqual(['returned']);
    for (const s of ['not_accepted', 'withdrawn', 'returned'] as const) {
      expect(allowed(s)).toEqual([]);
      expect(isFinal(s)).toBe(true);
    }
  });
});
