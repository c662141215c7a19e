import { describe, expect, it } from 'vitest';
import { backoffDelay } from './names.js';

describe('backoff', () => {
  it('grows exponentially with jitter in [0.5, 1) of the step, capped at one hour', () => {
    expect(backoffDelay(1, 1000, () => 0)).toBe(500);
    expect(backoffDelay(1, 1000, () => 0.999999)).toBe(1000);
    expect(backoffDelay(4, 1000, () => 0)).toBe(4000);
    expect(backoffDelay(40, 1000, () => 0.999999)).toBeCloseTo(3_600_000, -1);
    expect(backoffDelay(40, 1000, () => 0)).toBe(1_800_000);
    const spread = new Set(Array.from({ length: 20 }, () => backoffDelay(3, 1000)));
    expect(spread.size).toBeGreaterThan(1);
  });
});
