import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../core/config.js';
import { silentLogger } from '../../core/logger.js';
import { Runtime } from '../../runtime/runtime.js';
import { openPostgres } from '../../store/db.js';
import { TEST_DATABASE_URL } from '../helpers/db.js';
import { fixture, withCode } from '../helpers/fixtures.js';
import { ADMIN_KEY, dropQueues, eventually, REDIS_URL, restDepartment } from '../helpers/runtime.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

/** /readyz names each dependency; with PostgreSQL unreachable (behind a proxy the test cuts), writes answer 503 at once. */
describe('readiness with the database unreachable (postgres behind a TCP proxy)', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const prefix = `t${randomBytes(5).toString('hex')}`;
  const target = new URL(TEST_DATABASE_URL);
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let runtime: Runtime;
  let base: string;
  let n = 300;
  const dossier = fixture('business-registration');

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const url = new URL(TEST_DATABASE_URL);
    url.port = String(proxy.port);
    const db = openPostgres(url.toString(), { schema, max: 4, connectTimeoutMs: 500 });
    const settings = loadSettings({ PORT: '0', HOST: '127.0.0.1', REDIS_URL, ADMIN_API_KEY: ADMIN_KEY, QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent', DEPARTMENTS_REFRESH_MS: '200' });
    runtime = await Runtime.create({ settings, role: 'all', logger: silentLogger, db });
    await runtime.start();
    base = `http://127.0.0.1:${runtime.port}`;
    expect((await call('PUT', '/v1/departments/000.00.15.H63', restDepartment('http://127.0.0.1:9', [dossier.procedure.code]))).status).toBe(201);
  });
  afterAll(async () => {
    await proxy?.start();
    await runtime?.stop();
    await runtime?.db.close();
    await proxy?.close();
    await dropQueues(prefix);
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.end();
  });

  async function call(method: string, path: string, body?: unknown) {
    const started = performance.now();
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), body: text ? JSON.parse(text) : undefined, ms: performance.now() - started };
  }
  const submit = () => call('POST', '/v1/dossiers', withCode(dossier, ++n));

  it('names each dependency and its state', async () => {
    const ready = await call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', checks: { database: { state: 'up', latencyMs: expect.any(Number) }, redis: { state: 'up' } } });
    expect((await submit()).status).toBe(202);
  });

  it('database refused: writes 503 at once, /readyz says the database is down and Redis up; back when it returns', async () => {
    await proxy.stop();
    const first = await submit();
    expect(first.status).toBe(503);
    expect(first.type).toContain('application/problem+json');
    const again = await submit();
    expect(again.status).toBe(503);
    expect(again.ms).toBeLessThan(300);
    const ready = await call('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'not ready', database: false, redis: true, checks: { database: { state: 'down', error: expect.any(String) }, redis: { state: 'up' } } });
    await proxy.start();
    await eventually(async () => (await call('GET', '/readyz')).status === 200);
    await eventually(async () => (await submit()).status === 202);
  });

  it('database accepting connections but silent: the first write gives up after the connect timeout, the next ones at once', async () => {
    await proxy.blackhole();
    const first = await submit();
    expect(first.status).toBe(503);
    expect(first.ms).toBeLessThan(5000);
    const again = await submit();
    expect(again.status).toBe(503);
    expect(again.ms).toBeLessThan(300);
    expect((await call('PUT', '/v1/departments/000.00.16.H63', restDepartment('http://127.0.0.1:9', ['1.004227']))).status).toBe(503);
    await proxy.start();
    await eventually(async () => (await submit()).status === 202, 15_000);
  });
});
