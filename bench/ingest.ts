/**
 * Ingest benchmark (a benchmark that prints figures, not a test).
 *
 * For each store (PGlite in memory, PostgreSQL schema) it starts, in this one
 * process: a department system (node:http, answers 201 {id}) and a whole
 * lienthong runtime (startTestRuntime: gateway + delivery workers + sweeper on
 * a fresh database and its own Redis prefix). Then it POSTs N distinct
 * dossiers at concurrency C with keep-alive and measures
 *   - accepted/s and the HTTP accept latency (POST sent → 202 body read);
 *   - accept→department latency: POST sent → the department has read the
 *     delivery request carrying that `x-dossier-code` (one clock:
 *     performance.now(), since everything runs in this process);
 *   - drain: time from the first POST until all N are delivered, deliveries/s.
 *
 *   npm run bench -- [--store pglite|postgres|both] [--count 2000]
 *                    [--concurrency 32] [--delivery-concurrency 32]
 *                    [--warmup 50] [--timeout-s 300] [--test-sweep]
 *                    [--env NAME=VALUE …]
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { loadSettings } from '../core/config.js';
import type { Dossier } from '../core/model/dossier.js';
import type { StoreKind } from '../tests/helpers/db.js';
import { fixture, withCode } from '../tests/helpers/fixtures.js';
import { restDepartment, startTestRuntime, type TestRuntime } from '../tests/helpers/runtime.js';

// ---------------------------------------------------------------- options

const USAGE = `usage: npm run bench -- [--store pglite|postgres|both] [--count N] [--concurrency C]
                        [--delivery-concurrency D] [--warmup W] [--timeout-s S] [--test-sweep]
                        [--env NAME=VALUE …]`;

function intOption(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer in [${min}, ${max}], got "${raw}"`);
  return n;
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      store: { type: 'string' },
      count: { type: 'string' },
      concurrency: { type: 'string' },
      'delivery-concurrency': { type: 'string' },
      warmup: { type: 'string' },
      'timeout-s': { type: 'string' },
      env: { type: 'string', multiple: true },
      'test-sweep': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const store = values.store ?? 'both';
  const stores: StoreKind[] =
    store === 'both' ? ['pglite', 'postgres'] : store === 'pglite' || store === 'postgres' ? [store] : [];
  if (!stores.length) throw new Error(`--store must be pglite, postgres or both, got "${store}"`);
  // startTestRuntime sweeps every 200 ms for deliveries pending over 1 s (fast
  // tests). Under a backlog that re-queues and touches hundreds of deliveries
  // five times a second, which is not what a deployment does: unless
  // --test-sweep, the sweeper runs with the settings' defaults.
  const defaults = loadSettings({});
  const env: Record<string, string> = values['test-sweep']
    ? {}
    : { SWEEP_EVERY_MS: String(defaults.SWEEP_EVERY_MS), SWEEP_STALE_MS: String(defaults.SWEEP_STALE_MS) };
  for (const kv of values.env ?? []) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(kv);
    if (!m) throw new Error(`--env takes NAME=VALUE, got "${kv}"`);
    env[m[1]!] = m[2]!;
  }
  return {
    stores,
    count: intOption('count', values.count, 2000, 1, 500_000),
    concurrency: intOption('concurrency', values.concurrency, 32, 1, 1024),
    // The runtime's own bound on DELIVERY_CONCURRENCY is 1..64 (core/config.ts).
    deliveryConcurrency: intOption('delivery-concurrency', values['delivery-concurrency'], 32, 1, 64),
    warmup: intOption('warmup', values.warmup, 50, 0, 10_000),
    timeoutMs: intOption('timeout-s', values['timeout-s'], 300, 10, 3600) * 1000,
    /** Further runtime settings over startTestRuntime's (e.g. SWEEP_STALE_MS=30000). */
    env,
  };
}

type Options = ReturnType<typeof parseOptions>;

// ---------------------------------------------------------------- dossier codes

const SEQ_PER_DAY = 9999; // the sequence is 4 digits: 0001..9999

/**
 * The i-th distinct dossier (i ≥ 0): sequence (i mod 9999)+1 on the fixture's
 * receipt date shifted by ⌊i / 9999⌋ days (a real calendar date, so month and
 * day stay valid), i.e. `<agency>-YYMMDD-NNNN`.
 */
function dossierFor(base: Dossier, i: number): Dossier {
  const d = withCode(base, (i % SEQ_PER_DAY) + 1);
  const dayOffset = Math.floor(i / SEQ_PER_DAY);
  if (dayOffset === 0) return d;
  const m = /^(.*)-(\d{2})(\d{2})(\d{2})-(\d{4})$/.exec(d.code);
  if (!m) throw new Error(`unexpected dossier code ${d.code}`);
  const [, agency, yy, mm, dd, seq] = m as unknown as [string, string, string, string, string, string];
  const date = new Date(Date.UTC(2000 + Number(yy), Number(mm) - 1, Number(dd) + dayOffset));
  const year = date.getUTCFullYear();
  if (year > 2099) throw new Error('too many dossiers for the two-digit year of a dossier code');
  const ymd = [year % 100, date.getUTCMonth() + 1, date.getUTCDate()].map((n) => String(n).padStart(2, '0')).join('');
  return { ...d, code: `${agency}-${ymd}-${seq}` };
}

// ---------------------------------------------------------------- department

/** A department system that notes, per dossier code, when it first read a delivery. */
async function startBenchDepartment() {
  const firstSeen = new Map<string, number>();
  const state = { requests: 0, duplicates: 0, noCode: 0, expected: new Set<string>(), waiting: undefined as (() => void) | undefined, pending: 0 };
  const server: Server = createServer((req, res) => {
    req.resume(); // the body is not needed; read and drop it
    req.on('end', () => {
      const at = performance.now();
      state.requests++;
      const header = req.headers['x-dossier-code'];
      const code = Array.isArray(header) ? header[0] : header;
      if (!code) state.noCode++;
      else if (firstSeen.has(code)) state.duplicates++;
      else {
        firstSeen.set(code, at);
        if (state.expected.has(code)) {
          state.pending--;
          if (state.pending === 0) state.waiting?.();
        }
      }
      const body = JSON.stringify({ id: `REF-${code ?? 'none'}` });
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    firstSeen,
    state,
    /** Resolves once every code in `codes` has been received (the codes already seen count). */
    waitFor(codes: Iterable<string>): Promise<void> {
      state.expected = new Set(codes);
      state.pending = 0;
      for (const c of state.expected) if (!firstSeen.has(c)) state.pending++;
      if (state.pending === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        state.waiting = resolve;
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------- figures

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length); // nearest rank
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');
const rate = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '-');

interface Result {
  store: StoreKind;
  count: number;
  concurrency: number;
  deliveryConcurrency: number;
  accepted: number;
  nonAccepted: Map<string, number>; // "status: first error" → how many
  ingestS: number;
  acceptedPerS: number;
  accept: { p50: number; p95: number; p99: number; max: number };
  toDept: { p50: number; p95: number; p99: number; max: number };
  delivered: number;
  deliveredDuringIngest: number;
  drainS: number; // first POST → last of the accepted delivered
  tailS: number; // last 202 → last delivered
  drainPerS: number;
  deptRequests: number;
  duplicates: number;
  processCpu: number; // CPU time of this process / wall time, over ingest + drain (1 = one core busy)
  load: [number, number]; // 1-minute load average before and after
  timedOut: boolean;
}

function stats(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.length ? s[s.length - 1]! : NaN };
}

function table(rows: [string, string][]): string {
  const w = Math.max(...rows.map(([k]) => k.length));
  const v = Math.max(...rows.map(([, x]) => x.length));
  const line = `+${'-'.repeat(w + 2)}+${'-'.repeat(v + 2)}+`;
  return [line, ...rows.map(([k, x]) => `| ${k.padEnd(w)} | ${x.padStart(v)} |`), line].join('\n');
}

function resultRows(r: Result): [string, string][] {
  return [
    ['store', r.store],
    ['count', String(r.count)],
    ['concurrency (HTTP clients)', String(r.concurrency)],
    ['DELIVERY_CONCURRENCY', String(r.deliveryConcurrency)],
    ['accepted (202)', `${r.accepted}/${r.count}`],
    ['ingest wall time s', r.ingestS.toFixed(2)],
    ['accepted/s', rate(r.acceptedPerS)],
    ['accept p50 ms', ms(r.accept.p50)],
    ['accept p95 ms', ms(r.accept.p95)],
    ['accept p99 ms', ms(r.accept.p99)],
    ['accept max ms', ms(r.accept.max)],
    ['accept→department p50 ms', ms(r.toDept.p50)],
    ['accept→department p95 ms', ms(r.toDept.p95)],
    ['accept→department p99 ms', ms(r.toDept.p99)],
    ['accept→department max ms', ms(r.toDept.max)],
    ['delivered', `${r.delivered}/${r.accepted}`],
    ['delivered while ingesting', String(r.deliveredDuringIngest)],
    ['all delivered after s (from 1st POST)', r.delivered === r.accepted ? r.drainS.toFixed(2) : 'not all'],
    ['drain tail after last 202 s', r.delivered === r.accepted ? r.tailS.toFixed(2) : '-'],
    ['drain deliveries/s', rate(r.drainPerS)],
    ['department requests (dups)', `${r.deptRequests} (${r.duplicates})`],
    ['this process CPU, cores busy', r.processCpu.toFixed(2)],
    ['load avg 1 min before → after', `${r.load[0].toFixed(2)} → ${r.load[1].toFixed(2)}`],
  ];
}

// ---------------------------------------------------------------- one run

const DEPT = '000.00.15.H63';

async function runStore(store: StoreKind, opts: Options, deadline: number): Promise<Result> {
  const base = fixture('business-registration');
  const department = await startBenchDepartment();
  let t: TestRuntime | undefined;
  let agent: Agent | undefined;
  try {
    t = await startTestRuntime({ store, env: { ...opts.env, DELIVERY_CONCURRENCY: String(opts.deliveryConcurrency) } });
    const put = await t.api('PUT', `/v1/departments/${DEPT}`, restDepartment(department.url, [base.procedure.code]));
    if (put.status !== 201 && put.status !== 200) throw new Error(`department registration: ${put.status} ${JSON.stringify(put.body)}`);
    await t.runtime.refreshDepartments();
    const centerKey = await t.key('center', 'bench');

    // Everything the client sends is built before the clock starts.
    const total = opts.warmup + opts.count;
    const codes: string[] = new Array(total);
    const bodies: string[] = new Array(total);
    for (let i = 0; i < total; i++) {
      const d = dossierFor(base, i);
      codes[i] = d.code;
      bodies[i] = JSON.stringify(d);
    }
    if (new Set(codes).size !== total) throw new Error('dossier codes are not distinct');

    agent = new Agent({ connections: opts.concurrency, pipelining: 1, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000 });
    const url = `${t.base}/v1/dossiers`;
    const headers = { authorization: `Bearer ${centerKey}`, 'content-type': 'application/json' };
    // At the time limit: no new requests, the ones in flight are cut, the drain wait ends.
    const abort = new AbortController();
    const aborted = new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve(), { once: true }));
    const timer = setTimeout(() => {
      abort.abort(new Error('benchmark time limit reached'));
      void agent?.destroy(new Error('benchmark time limit reached')).catch(() => undefined);
    }, Math.max(0, deadline - Date.now()));
    timer.unref();

    const sentAt = new Float64Array(total);
    const acceptMs = new Float64Array(total).fill(NaN);
    const status = new Int16Array(total);
    const nonAccepted = new Map<string, number>();

    async function post(i: number): Promise<void> {
      const t0 = performance.now();
      sentAt[i] = t0;
      try {
        const res = await request(url, { method: 'POST', headers, body: bodies[i], dispatcher: agent });
        const text = await res.body.text();
        acceptMs[i] = performance.now() - t0;
        status[i] = res.statusCode;
        if (res.statusCode !== 202) {
          const key = `${res.statusCode}: ${text.slice(0, 160)}`;
          nonAccepted.set(key, (nonAccepted.get(key) ?? 0) + 1);
        }
      } catch (err) {
        status[i] = -1;
        const key = `error: ${err instanceof Error ? err.message : String(err)}`;
        nonAccepted.set(key, (nonAccepted.get(key) ?? 0) + 1);
      }
    }

    async function drive(from: number, to: number): Promise<void> {
      let next = from;
      const worker = async () => {
        while (!abort.signal.aborted) {
          const i = next++;
          if (i >= to) return;
          await post(i);
        }
      };
      await Promise.all(Array.from({ length: Math.min(opts.concurrency, to - from) }, worker));
    }

    const untilDelivered = (wanted: string[]) => Promise.race([department.waitFor(wanted), aborted]);

    // Warm-up: JIT, connection pools, BullMQ worker — not counted.
    if (opts.warmup > 0) {
      await drive(0, opts.warmup);
      await untilDelivered(codes.slice(0, opts.warmup).filter((_, i) => status[i] === 202));
      nonAccepted.clear();
    }

    // Measured run.
    const from = opts.warmup;
    const requestsBefore = department.state.requests;
    const duplicatesBefore = department.state.duplicates;
    const loadBefore = os.loadavg()[0]!;
    const cpuBefore = process.cpuUsage();
    const startedAt = performance.now();
    await drive(from, total);
    const ingestEnd = performance.now();
    const acceptedIdx: number[] = [];
    for (let i = from; i < total; i++) if (status[i] === 202) acceptedIdx.push(i);
    const notSent = total - from - acceptedIdx.length - [...nonAccepted.values()].reduce((a, b) => a + b, 0);
    if (notSent > 0) nonAccepted.set('not sent (time limit)', notSent);
    const deliveredDuringIngest = acceptedIdx.filter((i) => {
      const at = department.firstSeen.get(codes[i]!);
      return at !== undefined && at <= ingestEnd;
    }).length;
    await untilDelivered(acceptedIdx.map((i) => codes[i]!));
    clearTimeout(timer);
    const cpu = process.cpuUsage(cpuBefore);
    const wallMs = performance.now() - startedAt;

    let lastDelivered = -Infinity;
    let lastAccepted = -Infinity;
    const toDept: number[] = [];
    for (const i of acceptedIdx) {
      lastAccepted = Math.max(lastAccepted, sentAt[i]! + acceptMs[i]!);
      const at = department.firstSeen.get(codes[i]!);
      if (at === undefined) continue;
      toDept.push(at - sentAt[i]!);
      lastDelivered = Math.max(lastDelivered, at);
    }
    const ingestS = (ingestEnd - startedAt) / 1000;
    const drainS = toDept.length ? (lastDelivered - startedAt) / 1000 : NaN;
    return {
      store,
      count: opts.count,
      concurrency: opts.concurrency,
      deliveryConcurrency: opts.deliveryConcurrency,
      accepted: acceptedIdx.length,
      nonAccepted,
      ingestS,
      acceptedPerS: acceptedIdx.length / ingestS,
      accept: stats(acceptedIdx.map((i) => acceptMs[i]!)),
      toDept: stats(toDept),
      delivered: toDept.length,
      deliveredDuringIngest,
      drainS,
      tailS: toDept.length ? (lastDelivered - lastAccepted) / 1000 : NaN,
      drainPerS: toDept.length / drainS,
      deptRequests: department.state.requests - requestsBefore,
      duplicates: department.state.duplicates - duplicatesBefore,
      processCpu: (cpu.user + cpu.system) / 1000 / wallMs,
      load: [loadBefore, os.loadavg()[0]!],
      timedOut: abort.signal.aborted,
    };
  } finally {
    await agent?.close().catch(() => undefined);
    await t?.stop();
    await department.close();
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  let opts: Options;
  try {
    opts = parseOptions();
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  const deadline = Date.now() + opts.timeoutMs;
  // Whatever hangs (start-up, shutdown), the process ends shortly after the limit.
  setTimeout(() => {
    console.error(`bench: still running ${opts.timeoutMs / 1000 + 30} s after start; giving up`);
    process.exit(3);
  }, opts.timeoutMs + 30_000).unref();

  const cpus = os.cpus();
  console.log('lienthong ingest benchmark');
  console.log(
    table([
      ['cpus', String(cpus.length)],
      ['cpu model', cpus[0]?.model.trim() ?? 'unknown'],
      ['node', process.version],
      ['os', `${os.type()} ${os.release()} ${os.arch()}`],
      ['memory GiB', (os.totalmem() / 1024 ** 3).toFixed(1)],
      ['stores', opts.stores.join(', ')],
      ['warm-up dossiers (not counted)', String(opts.warmup)],
      ['time limit s', String(opts.timeoutMs / 1000)],
      ['extra runtime settings', Object.entries(opts.env).map(([k, v]) => `${k}=${v}`).join(' ') || 'none'],
    ]),
  );

  const results: Result[] = [];
  let failed = false;
  for (const store of opts.stores) {
    if (Date.now() >= deadline) {
      console.log(`\n[${store}] skipped: time limit reached`);
      failed = true;
      continue;
    }
    console.log(`\n[${store}] ${opts.count} dossiers, concurrency ${opts.concurrency}, DELIVERY_CONCURRENCY ${opts.deliveryConcurrency} …`);
    try {
      const r = await runStore(store, opts, deadline);
      results.push(r);
      console.log(table(resultRows(r)));
      if (r.nonAccepted.size) {
        console.log('not accepted with 202:');
        for (const [what, n] of r.nonAccepted) console.log(`  ${n} × ${what}`);
      }
      if (r.duplicates) console.log(`note: the department received ${r.duplicates} repeated deliveries (same x-dossier-code twice)`);
      if (r.delivered < r.accepted) {
        console.log(`note: ${r.accepted - r.delivered} accepted dossiers had not reached the department ${r.timedOut ? 'at the time limit' : 'when the run ended'}`);
      }
      if (r.timedOut) {
        console.log(`[${store}] TIME LIMIT REACHED: the figures above are partial`);
        failed = true;
      }
    } catch (err) {
      failed = true;
      console.error(`[${store}] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }

  if (results.length > 1) {
    console.log('\nsummary');
    const rows = resultRows(results[0]!).map(([k], j) => [k, ...results.map((r) => resultRows(r)[j]![1])]);
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
    const line = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
    console.log(line);
    for (const [n, row] of rows.entries()) {
      console.log(`| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`);
      if (n === 0) console.log(line);
    }
    console.log(line);
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();
