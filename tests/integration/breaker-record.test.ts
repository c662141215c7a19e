import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisBreaker } from '../../queue/breaker.js';
import { REDIS_URL } from '../helpers/runtime.js';

/** RedisBreaker on a real Redis: what it writes for each outcome, and what a run of clean successes spares. */
describe('circuit breaker records (redis)', () => {
  const redis = new Redis(REDIS_URL);
  const prefix = `lt-breaker-${randomBytes(4).toString('hex')}`;
  const breaker = new RedisBreaker(redis, prefix, 5000);
  const settings = { failures: 3, probeMs: 1000 };
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('admits clean while closed without failures; a failure makes the next admit unclean until a success resets it', async () => {
    const d = 'dept-a';
    expect(await breaker.admit(d, 'job-1')).toEqual({ ok: true, clean: true });
    expect(await breaker.record(d, 'transient', settings, 'HTTP 503')).toBe('closed');
    const unclean = await breaker.admit(d, 'job-2');
    expect(unclean).toEqual({ ok: true, clean: false });
    // The first success of this process is written; then one admitted unclean is written however soon after.
    expect(await breaker.record(d, 'delivered', settings, '', { clean: true })).toBe('closed');
    expect(await breaker.record(d, 'transient', settings, 'HTTP 503')).toBe('closed');
    expect((await breaker.view(d)).consecutiveFailures).toBe(1);
    expect(await breaker.record(d, 'delivered', settings, '', unclean as { clean: boolean })).toBe('closed');
    expect((await breaker.view(d)).consecutiveFailures).toBe(0);
  });

  it('writes the last success of a clean run at most once a second', async () => {
    const d = 'dept-b';
    const clean = { clean: true };
    await breaker.record(d, 'delivered', settings, '', clean);
    const first = (await breaker.view(d)).lastSuccessAt;
    expect(first).not.toBeNull();
    await new Promise((r) => setTimeout(r, 20));
    await breaker.record(d, 'delivered', settings, '', clean);
    expect((await breaker.view(d)).lastSuccessAt).toBe(first); // spared: nothing else would change
    await new Promise((r) => setTimeout(r, 1050));
    await breaker.record(d, 'delivered', settings, '', clean);
    expect(Date.parse((await breaker.view(d)).lastSuccessAt!)).toBeGreaterThan(Date.parse(first!));
  });

  it('opens after the configured failures in a row, admitting nothing until the probe', async () => {
    const d = 'dept-c';
    for (let i = 0; i < 2; i++) expect(await breaker.record(d, 'transient', settings, 'timeout')).toBe('closed');
    expect(await breaker.record(d, 'transient', settings, 'timeout')).toBe('open');
    expect(await breaker.admit(d, 'job-9')).toEqual({ ok: false, reason: 'department_down' });
  });
});
