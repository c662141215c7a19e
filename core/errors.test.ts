import { describe, expect, it } from 'vitest';
import { AttemptFailedError, DeliveryError, failureKind, isFinalFailure } from './errors.js';

describe('AttemptFailedError: the typed outcome of a failed delivery attempt', () => {
  it('carries the classification and whether the delivery is over', () => {
    const cause = DeliveryError.transient('HTTP 503 from POST http://dept/applications');
    const again = new AttemptFailedError('transient', cause.message, false, 2, 4, cause);
    const over = new AttemptFailedError('transient', cause.message, true, 4, 4, cause);
    expect(again).toBeInstanceOf(DeliveryError);
    expect(again).toMatchObject({ name: 'AttemptFailedError', kind: 'transient', final: false, attempt: 2, of: 4, cause });
    expect(failureKind(over)).toBe('transient');
    expect([isFinalFailure(again), isFinalFailure(over)]).toEqual([false, true]);
  });

  it('is read by name, so it survives where instanceof does not, and nothing else counts as final', () => {
    const serialised = { name: 'AttemptFailedError', message: 'x', kind: 'permanent', final: true };
    expect(isFinalFailure(serialised)).toBe(true);
    expect(isFinalFailure(DeliveryError.permanent('HTTP 400', { code: 'final' }))).toBe(false);
    expect(isFinalFailure(new Error('final'))).toBe(false);
    expect(isFinalFailure(undefined)).toBe(false);
  });
});
