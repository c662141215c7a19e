import { Redis, type RedisOptions } from 'ioredis';

/**
 * ioredis connections as BullMQ wants them: workers block, so they need
 * `maxRetriesPerRequest: null`; producers fail fast (`enableOfflineQueue:
 * false`) so that accepting a dossier never waits on a dead Redis.
 */
export function redisConnection(url: string, role: 'worker' | 'producer'): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 };
  const redis = new Redis(url, { lazyConnect: false, ...options });
  // Errors surface on the calls that need Redis; an unhandled 'error' event would crash the process.
  redis.on('error', () => {});
  return redis;
}

/** Rejects after `ms`: Redis calls on the request path must not hang. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer from Redis within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Wait until a connection is ready; false (not thrown) when Redis does not answer within `ms`. */
export async function connected(redis: Redis, ms: number): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return withTimeout(
    new Promise<boolean>((resolve) => redis.once('ready', () => resolve(true))),
    ms,
    'connecting',
  ).catch(() => false);
}
