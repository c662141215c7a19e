/**
 * What time it is, for use-cases that decide by time (backoff, leases,
 * reconciliation windows). Implemented by `systemClock` here; tests may give
 * their own.
 */
export interface Clock {
  /** Milliseconds since the epoch; never throws. */
  now(): number;
}

/** The process's clock. */
export const systemClock: Clock = { now: () => Date.now() };
