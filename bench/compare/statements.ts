import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadSettings } from '../../core/config.js';
import { silentLogger } from '../../core/logger.js';
import { Runtime } from '../../runtime/runtime.js';
import { countingDb, type DbCounts } from '../../store/counting-db.js';
import { openPostgres } from '../../store/db.js';
import { restDepartment } from '../../tests/helpers/runtime.js';
import type { Department } from './department.js';
import type { Dossiers } from './load.js';

const ADMIN = 'bench-statements-admin-key-0123456789abcdef';
const HOUR = '3600000';

/**
 * Exact SQL statements and pool checkouts per accept and per delivery,
 * whatever the load on the machine: a gateway and a worker runtime in this
 * process, each on its own counting Db over one fresh PostgreSQL schema
 * (periodic work — department refresh, sweeper, result puller — set to an
 * hour so it does not run meanwhile). `n` dossiers are POSTed one after the
 * other; the gateway's counts / n are per accept, the worker's / n per
 * delivery (counted once all n are recorded as delivered).
 */
export async function countStatements(url: string, redisUrl: string, department: Department, dossiers: Dossiers, departmentId: string, n: number) {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const gatewayDb = countingDb(openPostgres(url, { schema }));
  const workerDb = countingDb(openPostgres(url, { schema }));
  const prefix = `b${randomBytes(5).toString('hex')}`;
  const settings = loadSettings({
    PORT: '0', HOST: '127.0.0.1', REDIS_URL: redisUrl, ADMIN_API_KEY: ADMIN, QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent',
    DEPARTMENTS_REFRESH_MS: HOUR, SWEEP_EVERY_MS: HOUR, SWEEP_STALE_MS: HOUR,
  });
  const gateway = await Runtime.create({ settings, role: 'gateway', logger: silentLogger, db: gatewayDb });
  const worker = await Runtime.create({ settings, role: 'worker', logger: silentLogger, db: workerDb });
  try {
    await gateway.start();
    const base = `http://127.0.0.1:${gateway.port}`;
    const call = async (method: string, path: string, body: unknown, key = ADMIN) => {
      const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const put = await call('PUT', `/v1/departments/${departmentId}`, restDepartment(department.url, [dossiers.procedure]));
    if (put.status >= 300) throw new Error(`department registration: ${put.status} ${JSON.stringify(put.body)}`);
    const key = (await call('POST', '/v1/api-keys', { role: 'center', name: 'bench-statements' })).body.key as string;
    await worker.start();
    // One dossier first: the first request of a key or a department may fill caches.
    const warm = dossiers.take();
    if ((await call('POST', '/v1/dossiers', warm.body, key)).status !== 202) throw new Error('warm-up dossier not accepted');
    await department.waitFor([warm.code], 10_000);
    await waitRecorded(admin, schema, 1);

    gatewayDb.reset();
    workerDb.reset();
    const started = performance.now();
    const codes: string[] = [];
    for (let i = 0; i < n; i++) {
      const d = dossiers.take();
      codes.push(d.code);
      const res = await call('POST', '/v1/dossiers', d.body, key);
      if (res.status !== 202) throw new Error(`dossier not accepted: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    const accept = { ...gatewayDb.counts };
    const acceptS = (performance.now() - started) / 1000;
    if (!(await department.waitFor(codes, 60_000))) throw new Error('not every dossier reached the department');
    await waitRecorded(admin, schema, n + 1);
    const delivery = { ...workerDb.counts };
    const per = (c: DbCounts) => ({ statements: c.statements / n, checkouts: c.checkouts / n, transactions: c.transactions / n });
    return { n, acceptS, accept: per(accept), delivery: per(delivery) };
  } finally {
    await gateway.stop();
    await worker.stop();
    await gatewayDb.close();
    await workerDb.close();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
    const { dropQueues } = await import('../../tests/helpers/runtime.js');
    await dropQueues(prefix);
  }
}

/** Until `n` deliveries are `delivered` in the schema (read on a connection of its own, so not counted). */
async function waitRecorded(admin: pg.Client, schema: string, n: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { rows } = await admin.query(`select count(*)::int as n from ${schema}.deliveries where state = 'delivered'`);
    if (rows[0].n >= n) return;
    if (Date.now() > deadline) throw new Error(`only ${rows[0].n}/${n} deliveries recorded as delivered`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
