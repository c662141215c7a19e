import type { Redis } from 'ioredis';
import type { CircuitBreaker, CircuitState, CircuitView, WaitingReason } from '../core/ports/index.js';
import { deliveryQueueName } from './names.js';

/**
 * Admit an attempt. KEYS[1] the department's breaker hash. ARGV: now (ms),
 * holder, hold ms. Returns {1} or {0, reason}.
 */
const ADMIT = `
local h = KEYS[1]
if redis.call('HGET', h, 'paused') == '1' then return {0, 'paused'} end
local state = redis.call('HGET', h, 'state') or 'closed'
if state == 'closed' then return {1, 'closed', tonumber(redis.call('HGET', h, 'failures') or '0')} end
if state == 'open' then return {0, 'department_down'} end
local holder = redis.call('HGET', h, 'probeHolder')
local untilMs = tonumber(redis.call('HGET', h, 'probeUntil') or '0')
if holder and holder ~= ARGV[2] and untilMs > tonumber(ARGV[1]) then return {0, 'department_down'} end
redis.call('HSET', h, 'probeHolder', ARGV[2], 'probeUntil', tonumber(ARGV[1]) + tonumber(ARGV[3]))
return {1, 'half_open'}`;

/**
 * Record an outcome. ARGV: now, outcome (delivered|transient|permanent),
 * failures threshold, error text, probe ms. Returns the state after it.
 */
const RECORD = `
local h = KEYS[1]
local now = tonumber(ARGV[1])
local state = redis.call('HGET', h, 'state') or 'closed'
if ARGV[2] == 'transient' then
  local n = redis.call('HINCRBY', h, 'failures', 1)
  redis.call('HSET', h, 'lastError', ARGV[4])
  if state == 'half_open' or (state == 'closed' and n >= tonumber(ARGV[3])) then
    redis.call('HSET', h, 'state', 'open', 'since', now, 'nextProbeAt', now + tonumber(ARGV[5]))
    redis.call('HDEL', h, 'probeHolder', 'probeUntil')
    return 'open'
  end
  return state
end
redis.call('HSET', h, 'failures', 0)
if ARGV[2] == 'delivered' then redis.call('HSET', h, 'lastSuccessAt', now) end
if state ~= 'closed' then
  redis.call('HSET', h, 'state', 'closed', 'since', now)
  redis.call('HDEL', h, 'probeHolder', 'probeUntil', 'nextProbeAt')
end
return 'closed'`;

/** Take this period's probe: ARGV now, probe ms. 1 when this caller runs the check. */
const CLAIM_PROBE = `
local h = KEYS[1]
if redis.call('HGET', h, 'state') ~= 'open' or redis.call('HGET', h, 'paused') == '1' then return 0 end
if tonumber(redis.call('HGET', h, 'nextProbeAt') or '0') > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', h, 'nextProbeAt', tonumber(ARGV[1]) + tonumber(ARGV[2]))
return 1`;

/** The check succeeded: open → half_open. ARGV now. */
const HALF_OPEN = `
if redis.call('HGET', KEYS[1], 'state') ~= 'open' then return 0 end
redis.call('HSET', KEYS[1], 'state', 'half_open', 'since', ARGV[1])
redis.call('HDEL', KEYS[1], 'probeHolder', 'probeUntil')
return 1`;

const RELEASE = `
if redis.call('HGET', KEYS[1], 'probeHolder') == ARGV[1] then redis.call('HDEL', KEYS[1], 'probeHolder', 'probeUntil') end
return 1`;

/** How often a run of clean successes writes `lastSuccessAt`. */
const SUCCESS_EVERY_MS = 1000;

/**
 * How long a clean admit (closed, no failure counted, not paused) stands for
 * the next admits of the department in this process, without a round trip:
 * a pause or an opened circuit from another process holds its deliveries
 * within this time (in this process, at once).
 */
export const ADMIT_CLEAN_MS = 100;

const iso = (ms: string | undefined) => (ms ? new Date(Number(ms)).toISOString() : null);

/**
 * The circuit breaker of every department in Redis, one hash per department
 * (`<prefix>:breaker:<id>`), changed only by the Lua scripts above so that
 * every worker process sees one state. Survives process restarts (Redis
 * persists it); the pause flag is also in the store and re-mirrored by the
 * workers' refresh. While a circuit is open or paused, workers hold the
 * department's queue with BullMQ's rate limit (queue/workers.ts); `wake`
 * lifts it at once when the circuit half-opens or the department resumes.
 */
export class RedisBreaker implements CircuitBreaker {
  /** The scripts as ioredis commands: sent by their SHA1 (EVALSHA), not as text on every call. */
  private readonly script: Record<'admit' | 'record' | 'release' | 'claimProbe' | 'halfOpen', (key: string, ...args: Array<string | number>) => Promise<unknown>>;
  /** When this process last wrote a success, per department. */
  private readonly lastSuccess = new Map<string, number>();
  /** When Redis last admitted the department clean, per department (ADMIT_CLEAN_MS). */
  private readonly admittedClean = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** How long a half-open attempt holds its slot before another may take it (the job lock). */
    private readonly holdMs: number,
  ) {
    const scripts = { admit: ADMIT, record: RECORD, release: RELEASE, claimProbe: CLAIM_PROBE, halfOpen: HALF_OPEN };
    for (const [name, lua] of Object.entries(scripts)) redis.defineCommand(`lienthongBreaker_${name}`, { numberOfKeys: 1, lua });
    const commands = redis as unknown as Record<string, (key: string, ...args: Array<string | number>) => Promise<unknown>>;
    this.script = Object.fromEntries(Object.keys(scripts).map((name) => [name, (key: string, ...args: Array<string | number>) => commands[`lienthongBreaker_${name}`]!.call(redis, key, ...args)])) as RedisBreaker['script'];
  }

  private key(departmentId: string): string {
    return `${this.prefix}:breaker:${departmentId}`;
  }

  async admit(departmentId: string, holder: string): Promise<{ ok: true; clean: boolean } | { ok: false; reason: WaitingReason }> {
    const seen = this.admittedClean.get(departmentId);
    if (seen !== undefined && Date.now() - seen < ADMIT_CLEAN_MS) return { ok: true, clean: true };
    const [ok, reason, failures] = (await this.script.admit(this.key(departmentId), Date.now(), holder, this.holdMs)) as [number, string, number?];
    const clean = ok === 1 && reason === 'closed' && failures === 0;
    if (clean) this.admittedClean.set(departmentId, Date.now());
    else this.admittedClean.delete(departmentId);
    return ok === 1 ? { ok: true, clean } : { ok: false, reason: reason as WaitingReason };
  }

  /**
   * A success admitted clean (closed, no failure counted) would only write
   * `lastSuccessAt`: from this process, at most once a second per
   * department, rather than a round trip to Redis per delivery.
   */
  async record(
    departmentId: string,
    outcome: 'delivered' | 'transient' | 'permanent',
    settings: { failures: number; probeMs: number },
    error = '',
    admitted?: { clean: boolean },
  ): Promise<CircuitState> {
    const now = Date.now();
    if (outcome !== 'delivered') this.admittedClean.delete(departmentId);
    if (outcome === 'delivered' && admitted?.clean && now - (this.lastSuccess.get(departmentId) ?? 0) < SUCCESS_EVERY_MS) return 'closed';
    if (outcome === 'delivered') this.lastSuccess.set(departmentId, now);
    return (await this.script.record(this.key(departmentId), now, outcome, settings.failures, error.slice(0, 500), settings.probeMs)) as CircuitState;
  }

  async release(departmentId: string, holder: string): Promise<void> {
    await this.script.release(this.key(departmentId), holder);
  }

  /** Is a probe due (open, not paused, period elapsed)? Claims it: one caller per period across processes. */
  async claimProbe(departmentId: string, probeMs: number): Promise<boolean> {
    return (await this.script.claimProbe(this.key(departmentId), Date.now(), probeMs)) === 1;
  }

  /** The check passed: half-open, and the queue woken so that one delivery goes through now. */
  async halfOpen(departmentId: string): Promise<boolean> {
    this.admittedClean.delete(departmentId);
    const moved = (await this.script.halfOpen(this.key(departmentId), Date.now())) === 1;
    if (moved) await this.wake(departmentId);
    return moved;
  }

  async probeFailed(departmentId: string, detail: string): Promise<void> {
    await this.redis.hset(this.key(departmentId), 'lastError', `check: ${detail}`.slice(0, 500));
  }

  async setPaused(departmentId: string, paused: boolean): Promise<void> {
    if (paused) this.admittedClean.delete(departmentId);
    await this.redis.hset(this.key(departmentId), 'paused', paused ? '1' : '0');
    if (!paused) await this.wake(departmentId);
  }

  /** Lift the queue's rate limit so that workers fetch its jobs now. */
  async wake(departmentId: string): Promise<void> {
    await this.redis.del(`${this.prefix}:${deliveryQueueName(departmentId)}:limiter`);
  }

  async view(departmentId: string): Promise<CircuitView> {
    return toView(await this.redis.hgetall(this.key(departmentId)));
  }

  async circuits(departmentIds: string[]): Promise<Array<CircuitView & { departmentId: string }>> {
    if (departmentIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of departmentIds) pipeline.hgetall(this.key(id));
    const results = (await pipeline.exec()) ?? [];
    return departmentIds.map((departmentId, i) => ({ departmentId, ...toView((results[i]?.[1] ?? {}) as Record<string, string>) }));
  }
}

function toView(h: Record<string, string>): CircuitView {
  return {
    circuit: (h.state as CircuitState | undefined) ?? 'closed',
    since: iso(h.since),
    consecutiveFailures: Number(h.failures ?? 0),
    lastError: h.lastError ?? null,
    lastSuccessAt: iso(h.lastSuccessAt),
    paused: h.paused === '1',
  };
}
