/**
 * The audit log's cost on acceptance (prints figures; not a test).
 *
 * Runs `DossierStore.accept` (the transaction behind a 202: dossier row, first
 * timeline entry, pending delivery) against the test PostgreSQL, in two fresh
 * schemas side by side: "on" with this checkout's store (the audit entries
 * ride in the same statements) and the background sealer sealing every
 * second, "off" with the DossierStore of another checkout that has no audit
 * log (`--baseline`, e.g. the commit before it). Blocks of `--block` accepts
 * alternate on/off/on/off… so that load from other work on the machine falls
 * on both alike; each block runs `--concurrency` accepts at a time.
 *
 *   npx tsx bench/audit-cost.ts --baseline /path/to/checkout-without-audit [--count 4000] [--block 250] [--concurrency 8] [--seal-after] [--seal-every-ms 1000]
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { silentLogger } from '../core/logger.js';
import type { Dossier } from '../core/model/dossier.js';
import { AuditBackground } from '../runtime/audit-background.js';
import { AuditStore } from '../store/audit-store.js';
import { openPostgres, type Db } from '../store/db.js';
import { DossierStore } from '../store/dossier-store.js';
import { migrate } from '../store/migrate.js';
import { TEST_DATABASE_URL } from '../tests/helpers/db.js';
import { fixture } from '../tests/helpers/fixtures.js';

const { values } = parseArgs({ options: { baseline: { type: 'string' }, count: { type: 'string', default: '4000' }, block: { type: 'string', default: '250' }, concurrency: { type: 'string', default: '8' }, 'seal-after': { type: 'boolean' }, 'seal-every-ms': { type: 'string', default: '1000' } } });
if (!values.baseline) throw new Error('--baseline <checkout without the audit log> is required');
const count = Number(values.count);
const block = Number(values.block);
const concurrency = Number(values.concurrency);

type AcceptStore = Pick<DossierStore, 'accept'>;

async function schema(): Promise<{ db: Db; drop: () => Promise<void> }> {
  const name = `bench_${randomBytes(5).toString('hex')}`;
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  await c.query(`create schema ${name}`);
  await c.end();
  const db = openPostgres(TEST_DATABASE_URL, { schema: name, max: concurrency + 2 });
  await migrate(db);
  return {
    db,
    async drop() {
      await db.close();
      const d = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await d.connect();
      await d.query(`drop schema ${name} cascade`);
      await d.end();
    },
  };
}

const base = fixture('business-registration');
const dossierFor = (variant: number, i: number): Dossier => ({
  ...structuredClone(base),
  code: `000.00.00.H63-2${String(variant)}${String(Math.floor(i / 9999)).padStart(5, '0')}-${String((i % 9999) + 1).padStart(4, '0')}`,
});

async function run(store: AcceptStore, variant: number, from: number, n: number, latencies: number[]): Promise<number> {
  let next = from;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < from + n) {
        const i = next++;
        const dossier = dossierFor(variant, i);
        const t0 = performance.now();
        await store.accept({
          dossier,
          departmentId: '000.00.15.H63',
          status: 'received',
          contentHash: `h${i}`,
          entry: { type: 'received', status: 'received', actor: 'center:bench', detail: { department: '000.00.15.H63', configVersion: 1 } },
          delivery: { departmentId: '000.00.15.H63', operation: 'submit', configVersion: 1, idempotencyKey: `${dossier.code}:submit` },
        });
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return performance.now() - started;
}

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;

async function main() {
  const baselineModule = (await import(path.resolve(values.baseline!, 'store/dossier-store.ts'))) as { DossierStore: new (db: Db) => AcceptStore };
  const on = await schema();
  const off = await schema();
  const sealer = new AuditBackground(new AuditStore(on.db), silentLogger, { sealEveryMs: Number(values['seal-every-ms']), gapGraceMs: 30_000, anchorEveryMs: 60_000 });
  try {
    const stores = { on: new DossierStore(on.db) as AcceptStore, off: new baselineModule.DossierStore(off.db) };
    const time = { on: 0, off: 0 };
    const lat = { on: [] as number[], off: [] as number[] };
    // Warm-up of both (not counted).
    await run(stores.on, 8, 0, 100, []);
    await run(stores.off, 9, 0, 100, []);
    // --seal-after: seal only once the accepts are done (the cost of writing entries alone).
    if (!values['seal-after']) sealer.start();
    for (let done = 0; done < count; done += block) {
      const n = Math.min(block, count - done);
      // Which goes first alternates too.
      const order = (done / block) % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const);
      for (const k of order) time[k] += await run(stores[k], k === 'on' ? 1 : 2, done, n, lat[k]);
    }
    await sealer.sealNow();
    const head = await new AuditStore(on.db).head();
    const rate = (k: 'on' | 'off') => (count / time[k]) * 1000;
    console.log(`audit cost on acceptance: ${count} accepts per variant, blocks of ${block} alternating, ${concurrency} at a time, PostgreSQL ${TEST_DATABASE_URL.replace(/\/\/.*@/, '//')}`);
    for (const k of ['off', 'on'] as const) {
      console.log(`  audit ${k.padEnd(3)}: ${rate(k).toFixed(0)} accepts/s   p50 ${q(lat[k], 0.5).toFixed(2)} ms   p99 ${q(lat[k], 0.99).toFixed(2)} ms`);
    }
    console.log(`  throughput with the audit log: ${((rate('on') / rate('off') - 1) * 100).toFixed(1)}%   (sealed ${head.seq} entries, ${head.unsealed} left)`);
  } finally {
    await sealer.stop();
    await on.drop();
    await off.drop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
