import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadSettings } from '../../core/config.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { Runtime, type Role } from '../../runtime/runtime.js';
import { openTestDb, type StoreKind } from './db.js';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdefghijklmnop';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Delete every Redis key under a BullMQ prefix. */
export async function dropQueues(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * A whole lienthong in this process on real parts: a fresh database (PGlite
 * in memory or a PostgreSQL schema), real Redis under a queue prefix of its
 * own, the gateway on a free port.
 */
export async function startTestRuntime(options: { store?: StoreKind; role?: Role; env?: Record<string, string>; logger?: Logger } = {}) {
  const { db, drop } = await openTestDb(options.store ?? 'pglite');
  const prefix = `t${randomBytes(5).toString('hex')}`;
  const settings = loadSettings({
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL,
    ADMIN_API_KEY: ADMIN_KEY,
    QUEUE_PREFIX: prefix,
    DELIVERY_BACKOFF_MS: '50',
    DEPARTMENTS_REFRESH_MS: '200',
    SWEEP_EVERY_MS: '200',
    SWEEP_STALE_MS: '1000',
    SHUTDOWN_TIMEOUT_MS: '5000',
    LOG_LEVEL: 'silent',
    // Alerts evaluate (and check departments) only when a test asks: no stray HEAD requests to test servers.
    ALERT_EVERY_MS: '86400000',
    ...options.env,
  });
  const runtime = await Runtime.create({ settings, role: options.role ?? 'all', logger: options.logger ?? silentLogger, db });
  try {
    await runtime.start();
  } catch (err) {
    await runtime.stop();
    await dropQueues(prefix);
    await drop();
    throw err;
  }
  const base = `http://127.0.0.1:${runtime.port}`;

  /** Call the gateway over real HTTP; `key` defaults to the admin key. */
  async function api(method: string, path: string, body?: unknown, key: string = ADMIN_KEY) {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: res.status, body: json, headers: res.headers };
  }

  async function key(role: string, name: string, department?: string): Promise<string> {
    const res = await api('POST', '/v1/api-keys', { role, name, ...(department ? { department } : {}) });
    if (res.status !== 201) throw new Error(`key creation failed: ${JSON.stringify(res.body)}`);
    return res.body.key as string;
  }

  return {
    runtime,
    base,
    prefix,
    api,
    key,
    async stop() {
      await runtime.stop();
      await dropQueues(prefix);
      await drop();
    },
  };
}

export type TestRuntime = Awaited<ReturnType<typeof startTestRuntime>>;

/** Poll `probe` until it returns a truthy value (or throw after `timeoutMs`). */
export async function eventually<T>(probe: () => Promise<T> | T, timeoutMs = 10_000, everyMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A REST department registration served by `url`. */
export function restDepartment(url: string, procedures: string[], extra: Record<string, unknown> = {}) {
  return {
    name: 'Sở Kế hoạch và Đầu tư',
    procedures,
    transport: { type: 'rest', baseUrl: url, auth: { type: 'bearer', token: 'dept-secret-token' }, timeoutMs: 2000 },
    operations: {
      submit: {
        method: 'POST',
        path: '/applications',
        request: '{"maHoSo": dossier.code, "thuTuc": dossier.procedure.code, "nguoiNop": dossier.applicant.name, "giayTo": dossier.documents.name}',
        reference: 'id',
      },
      supplement: { method: 'POST', path: '/applications/{reference}/supplements' },
      withdraw: { method: 'DELETE', path: '/applications/{reference}' },
    },
    callback: { event: '{"reference": applicationId, "status": state, "note": note, "occurredAt": at}' },
    statusMap: { DANG_XU_LY: 'processing', YEU_CAU_BO_SUNG: 'supplement_requested', DA_XU_LY: 'resolved' },
    ...extra,
  };
}
