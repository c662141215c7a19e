/**
 * National portal sync lag benchmark (prints figures, not a test).
 *
 * For each store it starts, in this one process: the strict portal simulator
 * (tests/helpers/portal-simulator.ts, optionally answering after a delay), a
 * department system (node:http), and a whole lienthong (startTestRuntime:
 * gateway + workers + portal pusher, PORTAL_* defaults unless --env). It
 * accepts D dossiers and waits until the portal has them all, then drives
 * status changes at a sustained rate R for S seconds: department events
 * (processing ⇄ supplement requested) spread round-robin over the dossiers,
 * each with its own note. The lag of a change is measured up to the moment
 * the portal accepted its processing step (the last call of the change, after
 * the dossier update), from
 *   - the event's 200 answer (the change was committed before it: a lower bound), and
 *   - the event's request being sent (an upper bound: includes applying it).
 *
 * With --split the gateway and the workers are two runtimes (as `lienthong
 * gateway` + `lienthong worker`): the pusher learns of changes by polling
 * (PORTAL_POLL_MS) instead of being woken by its own process.
 *
 *   npx tsx bench/portal-lag.ts [--store pglite|postgres|both] [--rate 50] [--seconds 20]
 *                               [--dossiers 200] [--portal-delay-ms 0] [--split] [--env NAME=VALUE …]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { loadSettings } from '../core/config.js';
import { silentLogger } from '../core/logger.js';
import { Runtime } from '../runtime/runtime.js';
import type { StoreKind } from '../tests/helpers/db.js';
import { startDepartmentServer } from '../tests/helpers/department-server.js';
import { fixture, withCode } from '../tests/helpers/fixtures.js';
import { startPortalSimulator } from '../tests/helpers/portal-simulator.js';
import { ADMIN_KEY, eventually, REDIS_URL, restDepartment, startTestRuntime } from '../tests/helpers/runtime.js';

const USAGE = `usage: npx tsx bench/portal-lag.ts [--store pglite|postgres|both] [--rate R] [--seconds S]
                                  [--dossiers D] [--portal-delay-ms MS] [--split] [--env NAME=VALUE …]`;

function options() {
  const { values } = parseArgs({
    options: {
      store: { type: 'string', default: 'both' },
      rate: { type: 'string', default: '50' },
      seconds: { type: 'string', default: '20' },
      dossiers: { type: 'string', default: '200' },
      'portal-delay-ms': { type: 'string', default: '0' },
      split: { type: 'boolean', default: false },
      env: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (name: string, v: string, min: number, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer in [${min}, ${max}]`);
    return n;
  };
  const stores: StoreKind[] = values.store === 'both' ? ['pglite', 'postgres'] : [values.store as StoreKind];
  if (!stores.every((s) => s === 'pglite' || s === 'postgres')) throw new Error('--store must be pglite, postgres or both');
  const env: Record<string, string> = {};
  for (const kv of values.env ?? []) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(kv);
    if (!m) throw new Error(`--env takes NAME=VALUE, got "${kv}"`);
    env[m[1]!] = m[2]!;
  }
  return {
    stores,
    rate: int('rate', values.rate!, 1, 2000),
    seconds: int('seconds', values.seconds!, 1, 3600),
    dossiers: int('dossiers', values.dossiers!, 1, 9999),
    portalDelayMs: int('portal-delay-ms', values['portal-delay-ms']!, 0, 60_000),
    split: values.split === true,
    env,
  };
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);
const stats = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.at(-1) ?? NaN };
};
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '-');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function run(store: StoreKind, o: ReturnType<typeof options>) {
  const DEPT = '000.00.15.H63';
  const portal = await startPortalSimulator();
  portal.slow(o.portalDelayMs);
  const department = await startDepartmentServer((r) => ({ status: 201, body: { id: `DN-${(r.body as { maHoSo: string }).maHoSo}` } }));
  const env = { ...portal.env, SWEEP_EVERY_MS: '10000', SWEEP_STALE_MS: '30000', ...o.env };
  const t = await startTestRuntime({ store, env, role: o.split ? 'gateway' : 'all' });
  // --split: the workers in a runtime of their own on the same store and queues.
  const workers = o.split
    ? await Runtime.create({ settings: loadSettings({ REDIS_URL, ADMIN_API_KEY: ADMIN_KEY, QUEUE_PREFIX: t.prefix, LOG_LEVEL: 'silent', ...env }), role: 'worker', logger: silentLogger, db: t.runtime.db })
    : undefined;
  await workers?.start();
  try {
    const base = fixture('business-registration');
    expect201(await t.api('PUT', `/v1/departments/${DEPT}`, restDepartment(department.url, [base.procedure.code])));
    await t.runtime.refreshDepartments();
    const key = await t.key('department', 'bench', DEPT);

    // D dossiers, accepted, delivered and known to the portal before the clock starts.
    const codes = Array.from({ length: o.dossiers }, (_, i) => withCode(base, i + 1).code);
    for (let i = 0; i < codes.length; i += 20) {
      await Promise.all(codes.slice(i, i + 20).map((_, j) => t.api('POST', '/v1/dossiers', withCode(base, i + j + 1)).then(expect202)));
    }
    await eventually(async () => (await t.api('GET', '/v1/portal')).body.pending === 0 && (await t.api('GET', '/v1/dossiers?status=received&limit=1')).body.items.length === 0, 120_000, 200);

    const total = o.rate * o.seconds;
    const sent = new Float64Array(total);
    const answered = new Float64Array(total).fill(NaN);
    const byNote = new Map<string, number>();
    const turns = new Map<string, number>();
    let failed = 0;
    const cpu = process.cpuUsage();
    const load = os.loadavg()[0]!;
    const t0 = Date.now() + 100;
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / o.rate;
      if (due > Date.now()) await sleep(due - Date.now());
      const code = codes[i % codes.length]!;
      const turn = turns.get(code) ?? 0;
      turns.set(code, turn + 1);
      const note = `bench-${i}`;
      byNote.set(note, i);
      sent[i] = Date.now();
      const body = { applicationId: `DN-${code}`, state: turn % 2 === 0 ? 'YEU_CAU_BO_SUNG' : 'DANG_XU_LY', note, at: new Date(Date.parse('2026-11-29T00:00:00Z') + i * 1000).toISOString() };
      inFlight.push(
        t.api('POST', `/v1/departments/${DEPT}/events`, body, key).then((r) => {
          if (r.status === 200 && r.body.applied) answered[i] = Date.now();
          else failed++;
        }),
      );
    }
    const lastSent = Date.now();
    await Promise.all(inFlight);
    // A change is in step when the portal accepted its processing step (`<what>: bench-i`).
    const acceptedAt = new Float64Array(total).fill(NaN);
    const drained = async () => {
      for (const a of portal.accepted) {
        const m = a.service === 'CapNhatTienDoHoSoMC' ? /: (bench-\d+)$/.exec(String(a.item.NoiDungXuLy)) : null;
        const i = m ? byNote.get(m[1]!) : undefined;
        if (i !== undefined && Number.isNaN(acceptedAt[i]!)) acceptedAt[i] = a.at;
      }
      return acceptedAt.every((x, i) => !Number.isNaN(x) || Number.isNaN(answered[i]!));
    };
    await eventually(drained, 120_000, 100).catch(() => undefined);
    const wall = (Date.now() - t0) / 1000;
    const used = process.cpuUsage(cpu);
    const fromAnswer: number[] = [];
    const fromSent: number[] = [];
    for (let i = 0; i < total; i++) {
      if (Number.isNaN(acceptedAt[i]!) || Number.isNaN(answered[i]!)) continue;
      fromAnswer.push(acceptedAt[i]! - answered[i]!);
      fromSent.push(acceptedAt[i]! - sent[i]!);
    }
    const api = stats(Array.from(answered).map((a, i) => a - sent[i]!).filter(Number.isFinite));
    const counts = (await t.api('GET', '/v1/portal')).body;
    return {
      store: `${store}${o.split ? ', gateway and workers apart (--split)' : ', gateway and workers in one runtime'}`,
      rate: `${o.rate}/s for ${o.seconds} s (sent over ${((lastSent - t0) / 1000).toFixed(1)} s)`,
      changes: `${total} sent, ${total - failed} applied, ${fromAnswer.length} in step at the portal`,
      portalCalls: `${portal.calls.length} (${portal.refusals.length} refused), portal answers after ${o.portalDelayMs} ms`,
      state: `pending ${counts.pending}, synced ${counts.synced}, rejected ${counts.rejected}`,
      api: `event POST → 200: p50 ${ms(api.p50)} p95 ${ms(api.p95)} p99 ${ms(api.p99)} max ${ms(api.max)} ms`,
      lagCommitted: stats(fromAnswer),
      lagSent: stats(fromSent),
      cpu: ((used.user + used.system) / 1000 / (wall * 1000)).toFixed(2),
      load: `${load.toFixed(2)} → ${os.loadavg()[0]!.toFixed(2)}`,
    };
  } finally {
    await workers?.stop();
    await t.stop();
    await department.close();
    await portal.close();
  }
}

function expect201(r: { status: number; body: unknown }) {
  if (r.status !== 201 && r.status !== 200) throw new Error(`department registration: ${r.status} ${JSON.stringify(r.body)}`);
}
function expect202(r: { status: number; body: unknown }) {
  if (r.status !== 202) throw new Error(`dossier not accepted: ${r.status} ${JSON.stringify(r.body)}`);
}

async function main() {
  const o = options();
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}`);
  console.log(`dossiers ${o.dossiers}, settings over startTestRuntime's: ${JSON.stringify(o.env)}`);
  for (const store of o.stores) {
    const r = await run(store, o);
    const lag = (s: ReturnType<typeof stats>) => `p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}  max ${ms(s.max)} ms`;
    console.log(`\n== ${r.store}`);
    console.log(`rate            ${r.rate}`);
    console.log(`changes         ${r.changes}`);
    console.log(`portal calls    ${r.portalCalls}`);
    console.log(`portal state    ${r.state}`);
    console.log(`api             ${r.api}`);
    console.log(`lag committed → portal accepted   ${lag(r.lagCommitted)}   (from the 200: lower bound)`);
    console.log(`lag sent → portal accepted        ${lag(r.lagSent)}   (from the request: upper bound)`);
    console.log(`process CPU     ${r.cpu} cores busy; load avg 1 min ${r.load}`);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
