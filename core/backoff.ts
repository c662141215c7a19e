/** Exponential backoff with jitter: base·2^(n−1), capped at one hour, scaled by a random factor in [0.5, 1). */
export function backoffDelay(attemptsMade: number, baseMs: number, random: () => number = Math.random): number {
  const exp = Math.min(3_600_000, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(exp * (0.5 + random() / 2));
}
