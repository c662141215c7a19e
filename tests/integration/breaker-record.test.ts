import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ADMIT_CLEAN_MS, RedisBreaker } from '../../queue/breaker.js';
import { REDIS_URL } from '../helpers/runtime.js';

/** RedisBreaker on a real Redis: what it writes for each outcome, and what a run of clean successes spares. */
describe('circuit breaker records (redis)', () => {
  const redis = new Redis(REDIS_URL);
  const prefix = `lt-breaker-${randomBytes(4).toString('hex')}`;
  const breaker = new RedisBreaker(redis, prefix, 5000);
  const settings = { failures: 3, probeMs: 1000 };
  afterEach(() => {
    vi.useRealTimers();
  });
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

  it('lets a clean admit stand for ADMIT_CLEAN_MS without a round trip; a pause from another process holds it after that, from this one at once', async () => {
    vi.useFakeTimers({ toFake: ['Date'] }); // Date.now only: Redis' sockets keep their real timers
    const own = new Redis(REDIS_URL);
    try {
      const d = 'dept-d';
      const mine = new RedisBreaker(own, prefix, 5000);
      const other = new RedisBreaker(redis, prefix, 5000); // another process's
      const scripts = vi.spyOn(own as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>, 'lienthongBreaker_admit');
      expect(await mine.admit(d, 'job-1')).toEqual({ ok: true, clean: true });
      expect(await mine.admit(d, 'job-2')).toEqual({ ok: true, clean: true });
      expect(scripts).toHaveBeenCalledTimes(1);
      await other.setPaused(d, true);
      expect(await mine.admit(d, 'job-3')).toEqual({ ok: true, clean: true }); // not seen yet
      vi.setSystemTime(Date.now() + ADMIT_CLEAN_MS);
      expect(await mine.admit(d, 'job-4')).toEqual({ ok: false, reason: 'paused' });
      await other.setPaused(d, false);
      expect(await mine.admit(d, 'job-5')).toEqual({ ok: true, clean: true });
      await mine.setPaused(d, true);
      expect(await mine.admit(d, 'job-6')).toEqual({ ok: false, reason: 'paused' });
      await mine.setPaused(d, false);
      expect(await mine.admit(d, 'job-7')).toEqual({ ok: true, clean: true });
      expect(await mine.record(d, 'transient', settings, 'HTTP 503')).toBe('closed');
      expect(await mine.admit(d, 'job-8')).toEqual({ ok: true, clean: false }); // its own failure: asked again at once
      expect(scripts).toHaveBeenCalledTimes(6);
    } finally {
      own.disconnect();
    }
  });
});
