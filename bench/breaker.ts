/**
 * Circuit breaker benchmark (prints figures; not a test).
 *
 * One process: a lienthong runtime (startTestRuntime: gateway, workers,
 * sweeper; PostgreSQL schema or PGlite; its own Redis prefix), one department
 * that will die (DEAD) and `--others` live departments (node:http, 201 after
 * `--dept-delay-ms`). Three phases:
 *   A. all up: `--rate` dossiers/s for `--seconds` to the others; their
 *      accept→department latency (POST sent → the department read it) p50/p95/p99.
 *   B. DEAD down (its server closed) with `--dead` dossiers (1,000) queued for
 *      it and its circuit open; the same load to the others, the same figures.
 *   C. DEAD back on the same port: time until all its dossiers are delivered,
 *      and how many it received more than once (must be 0), none failed.
 *   A'. all up again (the machine may be shared: the baseline is taken twice).
 *
 *   npx tsx bench/breaker.ts [--store postgres|pglite] [--dead 1000] [--others 3]
 *                            [--rate 40] [--seconds 10] [--dept-delay-ms 5]
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Dossier } from '../core/model/dossier.js';
import { fixture } from '../tests/helpers/fixtures.js';
import { restDepartment, startTestRuntime, type TestRuntime } from '../tests/helpers/runtime.js';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'postgres' },
    dead: { type: 'string', default: '1000' },
    others: { type: 'string', default: '3' },
    rate: { type: 'string', default: '40' },
    seconds: { type: 'string', default: '10' },
    'dept-delay-ms': { type: 'string', default: '5' },
  },
});
const opt = {
  store: values.store === 'pglite' ? ('pglite' as const) : ('postgres' as const),
  dead: Number(values.dead),
  others: Number(values.others),
  rate: Number(values.rate),
  seconds: Number(values.seconds),
  delayMs: Number(values['dept-delay-ms']),
};

/** A department system: answers 201 after `delayMs`, notes the first arrival of each dossier code and counts repeats. */
async function department(port = 0) {
  const first = new Map<string, number>();
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const code = req.headers['x-dossier-code'];
      if (req.method === 'POST' && typeof code === 'string') {
        if (!first.has(code)) first.set(code, performance.now());
        counts.set(code, (counts.get(code) ?? 0) + 1);
      }
      setTimeout(() => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `R-${code ?? 'x'}` })), opt.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    first,
    counts,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

const base = fixture('business-registration');
/** Distinct codes: day `dd` of 2026-11, sequence n (1..9999). */
const dossierFor = (dd: number, n: number, departmentId: string): Dossier => ({
  ...structuredClone(base),
  code: `000.00.00.H63-2611${String(dd).padStart(2, '0')}-${String(n).padStart(4, '0')}`,
  department: departmentId,
});

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
};
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function post(t: TestRuntime, key: string, d: Dossier): Promise<number> {
  const res = await fetch(`${t.base}/v1/dossiers`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(d) });
  await res.arrayBuffer();
  return res.status;
}

/** `rate`/s for `seconds` round-robin over the others; resolves with each dossier's accept→department latency. */
async function load(t: TestRuntime, key: string, others: Array<{ id: string; dept: Awaited<ReturnType<typeof department>> }>, day: number) {
  const total = opt.rate * opt.seconds;
  const sent = new Map<string, { at: number; dept: (typeof others)[number]['dept'] }>();
  const posts: Promise<number>[] = [];
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = started + (i * 1000) / opt.rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const o = others[i % others.length]!;
    const d = dossierFor(day, i + 1, o.id);
    sent.set(d.code, { at: performance.now(), dept: o.dept });
    posts.push(post(t, key, d));
  }
  const statuses = await Promise.all(posts);
  const deadline = Date.now() + 120_000;
  while ([...sent].some(([code, s]) => !s.dept.first.has(code)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const latencies = [...sent].filter(([code, s]) => s.dept.first.has(code)).map(([code, s]) => s.dept.first.get(code)! - s.at);
  return { total, accepted: statuses.filter((s) => s === 202).length, delivered: latencies.length, p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95), p99: quantile(latencies, 0.99) };
}

async function main() {
  const dead = await department();
  const others = await Promise.all(Array.from({ length: opt.others }, async (_, i) => ({ id: `000.00.${20 + i}.H63`, dept: await department() })));
  const t = await startTestRuntime({ store: opt.store, env: { DELIVERY_CONCURRENCY: '8', SWEEP_EVERY_MS: '10000', SWEEP_STALE_MS: '30000', DELIVERY_BACKOFF_MS: '200' } });
  const DEAD = '000.00.19.H63';
  const url = (p: number) => `http://127.0.0.1:${p}`;
  try {
    const put = async (id: string, port: number, extra: Record<string, unknown> = {}) => {
      const res = await t.api('PUT', `/v1/departments/${id}`, restDepartment(url(port), [], { ...extra }));
      if (res.status >= 300) throw new Error(`department ${id}: ${JSON.stringify(res.body)}`);
    };
    await put(DEAD, dead.port, { delivery: { breaker: { failures: 5, probeMs: 2000 } } });
    for (const o of others) await put(o.id, o.dept.port);
    await t.runtime.refreshDepartments();
    const key = await t.key('center', 'bench');
    // Warm-up (not measured).
    await load(t, key, others, 1).catch(() => undefined);

    console.log(`breaker benchmark: store ${opt.store}, ${opt.others} live departments, ${opt.rate}/s for ${opt.seconds} s each phase, department answers after ${opt.delayMs} ms, load avg ${os.loadavg()[0]!.toFixed(2)}`);
    const a = await load(t, key, others, 2);
    console.log(`A all up:            accepted ${a.accepted}/${a.total}, delivered ${a.delivered}; accept→department p50 ${fmt(a.p50)}  p95 ${fmt(a.p95)}  p99 ${fmt(a.p99)}`);

    const deadPort = dead.port;
    await dead.close();
    const queuedAt = performance.now();
    const deadCodes: string[] = [];
    for (let i = 0; i < opt.dead; i += 50) {
      const batch = Array.from({ length: Math.min(50, opt.dead - i) }, (_, j) => dossierFor(3, i + j + 1, DEAD));
      deadCodes.push(...batch.map((d) => d.code));
      const statuses = await Promise.all(batch.map((d) => post(t, key, d)));
      if (statuses.some((s) => s !== 202)) throw new Error(`dead department dossiers: ${statuses.filter((s) => s !== 202).length} not accepted`);
    }
    for (;;) {
      const h = (await t.api('GET', `/v1/departments/${DEAD}`)).body.health;
      if (h.circuit === 'open') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    console.log(`   ${opt.dead} dossiers queued for ${DEAD} and its circuit open after ${fmt(performance.now() - queuedAt)}`);
    const b = await load(t, key, others, 4);
    console.log(`B one dead + ${opt.dead} queued: accepted ${b.accepted}/${b.total}, delivered ${b.delivered}; accept→department p50 ${fmt(b.p50)}  p95 ${fmt(b.p95)}  p99 ${fmt(b.p99)}`);
    console.log(`   p99 ratio B/A = ${(b.p99 / a.p99).toFixed(2)} (target ≤ 1.2)`);
    const [failedRow] = await t.runtime.db.query<{ n: number }>(`select count(*)::int as n from deliveries where department_id = $1 and state = 'failed'`, [DEAD]);
    const [attemptRow] = await t.runtime.db.query<{ n: number }>(`select coalesce(sum(attempts), 0)::int as n from deliveries where department_id = $1`, [DEAD]);
    console.log(`   while dead: ${attemptRow?.n ?? 0} attempts spent in all on ${opt.dead} dossiers, ${failedRow?.n ?? 0} failed`);

    const back = await department(deadPort);
    const backAt = performance.now();
    const deadline = Date.now() + 600_000;
    while (deadCodes.some((c) => !back.first.has(c)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const [delivered] = await t.runtime.db.query<{ n: number }>(`select count(*)::int as n from deliveries where department_id = $1 and state = 'delivered'`, [DEAD]);
    const repeats = [...back.counts.values()].filter((n) => n > 1).length;
    console.log(`C back: ${back.first.size}/${opt.dead} received in ${fmt(performance.now() - backAt)} (store: ${delivered?.n ?? 0} delivered); received more than once: ${repeats}; failed: ${failedRow?.n ?? 0}`);
    // The all-up baseline again, after the drain: the machine is shared, so the baseline is taken twice.
    const a2 = await load(t, key, others, 5);
    console.log(`A' all up again:     accepted ${a2.accepted}/${a2.total}, delivered ${a2.delivered}; accept→department p50 ${fmt(a2.p50)}  p95 ${fmt(a2.p95)}  p99 ${fmt(a2.p99)}`);
    console.log(`   p99 ratio B / mean(A, A') = ${(b.p99 / ((a.p99 + a2.p99) / 2)).toFixed(2)} (target ≤ 1.2); load avg now ${os.loadavg()[0]!.toFixed(2)}`);
    await back.close();
  } finally {
    await t.stop();
    for (const o of others) await o.dept.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
