/**
 * Side-by-side benchmark of issue 11 (prints figures; not a test). In one run:
 *
 *  1. statements: exact SQL statements and pool checkouts per accept and per
 *     delivery (in-process runtimes on counting Dbs; independent of load);
 *  2. ratio: the minimal reference service (bench/minimal-service.ts), then
 *     lienthong, each loaded in turn by autocannon (64 connections, fresh
 *     valid dossiers of business-registration): req/s, p50/p99, errors, ratio;
 *  3. e2e: lienthong loaded for --e2e-seconds (as fast as it answers, or at
 *     --e2e-rate requests a second); accepted → delivered to the trivial
 *     department (started here) → recorded as delivered; exactly once; how
 *     long each took from POST to the department;
 *  4. idle: one dossier every 20 ms, accept → department p50/p99;
 *  5. peak RSS (VmHWM) of the lienthong process(es).
 *
 * lienthong runs as a child process (`lienthong start`, or `gateway` + `worker`
 * with --split) on a fresh PostgreSQL database (or PGlite with --store pglite)
 * and a fresh Redis prefix. See bench/README.md for the options.
 */
import os from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { loadSettings } from '../core/config.js';
import { TEST_DATABASE_URL } from '../tests/helpers/db.js';
import { REDIS_URL, dropQueues, restDepartment } from '../tests/helpers/runtime.js';
import { startDepartment } from './compare/department.js';
import { Dossiers, hammer, idle, percentile, type LoadResult } from './compare/load.js';
import { freePort, memoryOf, spawnNode, waitHttp, waitQuiet, type Child } from './compare/processes.js';
import { int, ms, table, two } from './compare/report.js';
import { countStatements } from './compare/statements.js';

const USAGE = `usage: npm run bench:compare -- [--store postgres|pglite] [--split] [--seconds 10] [--e2e-seconds 60]
       [--e2e-rate R] [--idle-seconds 10] [--connections 64] [--delivery-concurrency D] [--statements 200]
       [--phases statements,ratio,e2e,idle] [--cpu-prof DIR] [--env NAME=VALUE …] [--lienthong CHECKOUT]`;
const DEPT = '000.00.15.H63';
const ADMIN = `bench-admin-${randomBytes(16).toString('hex')}`;
const PHASES = ['statements', 'ratio', 'e2e', 'idle'] as const;

function options() {
  const { values } = parseArgs({
    options: {
      store: { type: 'string', default: 'postgres' },
      split: { type: 'boolean', default: false },
      seconds: { type: 'string', default: '10' },
      'e2e-seconds': { type: 'string', default: '60' },
      'e2e-rate': { type: 'string' },
      'idle-seconds': { type: 'string', default: '10' },
      connections: { type: 'string', default: '64' },
      'delivery-concurrency': { type: 'string' },
      statements: { type: 'string', default: '200' },
      phases: { type: 'string', default: PHASES.join(',') },
      'cpu-prof': { type: 'string' },
      env: { type: 'string', multiple: true, default: [] },
      lienthong: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const num = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}, got "${v}"`);
    return n;
  };
  if (values.store !== 'postgres' && values.store !== 'pglite') throw new Error('--store must be postgres or pglite');
  if (values.split && values.store === 'pglite') throw new Error('--split needs --store postgres (PGlite is one process)');
  const phases = values.phases.split(',').map((p) => p.trim());
  for (const p of phases) if (!PHASES.includes(p as never)) throw new Error(`unknown phase ${p}`);
  const env: Record<string, string> = {};
  for (const kv of values.env) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(kv);
    if (!m) throw new Error(`--env takes NAME=VALUE, got "${kv}"`);
    env[m[1]!] = m[2]!;
  }
  if (values['delivery-concurrency']) env.DELIVERY_CONCURRENCY = values['delivery-concurrency'];
  return {
    store: values.store,
    split: values.split,
    seconds: num('seconds', values.seconds, 1),
    e2eSeconds: num('e2e-seconds', values['e2e-seconds'], 1),
    // Requests a second offered in the e2e phase (undefined: as fast as they are answered).
    e2eRate: values['e2e-rate'] === undefined ? undefined : num('e2e-rate', values['e2e-rate'], 1),
    idleSeconds: num('idle-seconds', values['idle-seconds'], 1),
    connections: num('connections', values.connections, 1),
    statements: num('statements', values.statements, 1),
    phases: new Set(phases),
    cpuProf: values['cpu-prof'],
    // Another checkout of lienthong to load instead of this one (a build without a feature, the commit before a change).
    checkout: values.lienthong ? path.resolve(values.lienthong) : undefined,
    env,
  };
}
type Options = ReturnType<typeof options>;

/** A fresh database next to TEST_DATABASE_URL's (dropped at the end). */
/** Requests with a dossier code, codes, codes received more than once, and requests without a code (the department's `check`). */
function departmentTotals(seen: Map<string, number>): string {
  let requests = 0;
  let codes = 0;
  const twice: string[] = [];
  for (const [code, n] of seen) {
    if (code === 'none') continue;
    requests += n;
    codes++;
    if (n > 1) twice.push(code);
  }
  const checks = seen.get('none') ?? 0;
  return `${requests} for ${codes} codes${twice.length ? ` (more than once: ${twice.slice(0, 5).join(', ')}${twice.length > 5 ? ', …' : ''})` : ''}; ${checks} without a code (checks)`;
}

async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `lt_bench_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

function loadRow(name: string, r: LoadResult): [string, ...string[]] {
  const other = Object.entries(r.statuses).map(([s, n]) => `${n}×${s}`).join(' ');
  return [name, int(r.reqPerS), ms(r.p50), ms(r.p99), ms(r.max), String(r.errors), other || '0'];
}

async function main(): Promise<number> {
  const opts = options();
  const defaults = loadSettings({});
  const cpus = os.cpus();
  console.log(`lienthong compare — ${new Date().toISOString()}`);
  console.log(
    table([
      ['machine', `${cpus.length} × ${cpus[0]?.model.trim() ?? '?'}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB, node ${process.version}`],
      ['load avg 1/5/15 at start', os.loadavg().map(two).join(' ')],
      ['lienthong', `${opts.split ? 'lienthong gateway + lienthong worker' : 'lienthong start'} on ${opts.store}${opts.checkout ? `, from ${opts.checkout}` : ''}`],
      ['connections, durations s', `${opts.connections}; ratio ${opts.seconds} each, e2e ${opts.e2eSeconds}${opts.e2eRate ? ` at ${opts.e2eRate} req/s` : ''}, idle ${opts.idleSeconds}`],
      ['DELIVERY_CONCURRENCY', opts.env.DELIVERY_CONCURRENCY ?? `${defaults.DELIVERY_CONCURRENCY} (default)`],
      ['other settings', Object.entries(opts.env).filter(([k]) => k !== 'DELIVERY_CONCURRENCY').map(([k, v]) => `${k}=${v}`).join(' ') || 'defaults'],
    ]),
  );
  const department = await startDepartment();
  const db = await freshDatabase();
  const dossiers = new Dossiers();
  const children: Child[] = [];
  const prefixes: string[] = [];
  let dataDir: string | undefined;
  let failed = false;
  try {
    if (opts.phases.has('statements')) {
      const s = await countStatements(db.url, REDIS_URL, department, dossiers, DEPT, opts.statements);
      console.log(`\nSQL per dossier (exact; ${s.n} dossiers one after the other, PostgreSQL, gateway and worker counted apart)`);
      console.log(
        table(
          [
            ['accept (POST /v1/dossiers → 202)', two(s.accept.statements), two(s.accept.checkouts), two(s.accept.transactions)],
            ['delivery (job → department → recorded)', two(s.delivery.statements), two(s.delivery.checkouts), two(s.delivery.transactions)],
          ],
          ['', 'statements', 'pool checkouts', 'transactions'],
        ),
      );
      console.log(`(${s.n} accepts in ${two(s.acceptS)} s: lookups repeated when a cache entry expires — keys and routes are kept ≤ 1 s — show as the fraction above a whole number)`);
    }
    if (!opts.phases.has('ratio') && !opts.phases.has('e2e') && !opts.phases.has('idle')) return 0;

    // ---------------------------------------------------------------- minimal service
    let minimal: LoadResult | undefined;
    if (opts.phases.has('ratio')) {
      const port = await freePort();
      const prefix = `bm${randomBytes(4).toString('hex')}`;
      prefixes.push(prefix);
      const child = spawnNode('minimal service', 'bench/minimal-service.ts', [], { DATABASE_URL: db.url, REDIS_URL, QUEUE_PREFIX: prefix, PORT: String(port) });
      children.push(child);
      const base = `http://127.0.0.1:${port}`;
      await waitForListening(child);
      await hammer(base, undefined, dossiers, opts.connections, 2); // warm-up
      minimal = await hammer(base, undefined, dossiers, opts.connections, opts.seconds);
      await child.stop();
    }

    // ---------------------------------------------------------------- lienthong
    const port = await freePort();
    const prefix = `bl${randomBytes(4).toString('hex')}`;
    prefixes.push(prefix);
    if (opts.store === 'pglite') dataDir = await mkdtemp(path.join(os.tmpdir(), 'lt-bench-'));
    const env: Record<string, string> = {
      ...(opts.store === 'postgres' ? { DATABASE_URL: db.url } : { DATA_DIR: dataDir! }),
      REDIS_URL, QUEUE_PREFIX: prefix, PORT: String(port), HOST: '127.0.0.1', ADMIN_API_KEY: ADMIN, ...opts.env,
    };
    const nodeArgs = opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(opts.cpuProf)}`] : [];
    const roles = opts.split ? ['gateway', 'worker'] : ['start'];
    for (const role of roles) {
      const child = spawnNode(`lienthong ${role}`, 'bin/lienthong.ts', [role], env, nodeArgs, opts.checkout);
      children.push(child);
      if (role !== 'worker') await waitHttp(`http://127.0.0.1:${port}/healthz`, child);
    }
    const base = `http://127.0.0.1:${port}`;
    const api = async (method: string, p: string, body: unknown) => {
      const res = await fetch(base + p, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const json = (await res.json()) as Record<string, unknown>;
      if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    await api('PUT', `/v1/departments/${DEPT}`, restDepartment(department.url, [dossiers.procedure]));
    const key = (await api('POST', '/v1/api-keys', { role: 'center', name: 'bench' })).key as string;
    const recorded = opts.store === 'postgres' ? sqlRecorded(db.url) : apiRecorded(base);
    // Warm-up: JIT, pools, the workers learning of the department (DEPARTMENTS_REFRESH_MS).
    const warm = await hammer(base, key, dossiers, opts.connections, 3);
    if (!(await department.waitFor(warm.accepted, 60_000))) throw new Error('warm-up dossiers were not delivered within 60 s');
    await recorded.all(60_000);

    let lienthong: LoadResult | undefined;
    if (opts.phases.has('ratio')) {
      lienthong = await hammer(base, key, dossiers, opts.connections, opts.seconds);
      console.log(`\ningest, ${opts.connections} connections, ${opts.seconds} s each, one after the other (load avg ${two(os.loadavg()[0]!)})`);
      console.log(table([loadRow('minimal service', minimal!), loadRow('lienthong POST /v1/dossiers', lienthong)], ['', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'non-202']));
      console.log(`ratio lienthong / minimal: ${two(lienthong.reqPerS / minimal!.reqPerS)}×`);
      if (!(await department.waitFor(lienthong.accepted, 300_000))) console.log('note: not all dossiers of the ratio phase were delivered within 300 s');
      await recorded.all(300_000);
    }

    if (opts.phases.has('e2e')) {
      const t0 = performance.now();
      const load = await hammer(base, key, dossiers, opts.connections, opts.e2eSeconds, opts.e2eRate);
      const duringLoad = load.accepted.filter((c) => (department.firstSeen.get(c) ?? Infinity) <= load.endedAt).length;
      const allIn = await department.waitFor(load.accepted, 600_000);
      const allRecorded = await recorded.all(600_000);
      const doneAt = performance.now();
      const lastAtDept = load.accepted.reduce((last, c) => Math.max(last, department.firstSeen.get(c) ?? -Infinity), -Infinity); // not Math.max(...): 150,000 arguments overflow the stack
      const missing = load.accepted.filter((c) => !department.seen.has(c)).length;
      const twice = load.accepted.filter((c) => (department.seen.get(c) ?? 0) > 1).length;
      const wallS = (doneAt - t0) / 1000;
      // POST set up → the department read it, per accepted dossier: the backlog's wait included.
      const lags = load.accepted.flatMap((c) => {
        const seen = department.firstSeen.get(c);
        const sent = load.sentAt.get(c);
        return seen === undefined || sent === undefined ? [] : [seen - sent];
      }).sort((a, b) => a - b);
      const offered = opts.e2eRate ? `at ${opts.e2eRate} req/s offered` : 'as fast as answered';
      console.log(`\nend to end, ${opts.connections} connections for ${opts.e2eSeconds} s, ${offered} (load avg ${two(os.loadavg()[0]!)})`);
      console.log(
        table([
          ['accepted (202)', `${load.accepted.length} at ${int(load.reqPerS)} req/s, p50 ${ms(load.p50)} ms, p99 ${ms(load.p99)} ms, errors ${load.errors}, non-202 ${load.non2xx}`],
          ['delivered during the load', `${duringLoad} (${int(duringLoad / ((load.endedAt - t0) / 1000))}/s)`],
          ['last delivery after the load ended', `${two((lastAtDept - load.endedAt) / 1000)} s`],
          ['POST → department, p50 / p99 / max', `${ms(percentile(lags, 50))} / ${ms(percentile(lags, 99))} / ${ms(lags.at(-1) ?? NaN)} ms`],
          ['every accepted one recorded as delivered', allRecorded ? `yes, ${two(wallS)} s after the first POST` : 'NO (timed out)'],
          ['end-to-end rate (accepted ÷ first POST → all recorded)', `${int(load.accepted.length / wallS)} dossiers/s`],
          ['exactly once at the department', missing || twice || !allIn ? `NO: ${missing} missing, ${twice} more than once` : 'yes'],
          ['department requests in total (all phases)', departmentTotals(department.seen)],
        ]),
      );
      if (missing || twice || !allRecorded) failed = true;
    }

    if (opts.phases.has('idle')) {
      // Idle means idle: what earlier phases left to do (audit sealing, PostgreSQL's autovacuum) finishes first.
      const waited = await waitQuiet();
      const count = Math.round((opts.idleSeconds * 1000) / 20);
      const r = await idle(base, key, dossiers, department, 20, count);
      const before = waited === undefined ? 'the machine still busy after 180 s' : `after ${two(waited / 1000)} s for the machine to be quiet (under 10 % of its CPU for 2 s)`;
      console.log(`\nidle: one dossier every 20 ms, ${count} dossiers, ${before}`);
      console.log(
        table([['accept → department', ms(percentile(r.latencies, 50)), ms(percentile(r.latencies, 99)), ms(r.latencies.at(-1) ?? NaN), `${r.latencies.length}/${r.sent}`]], ['', 'p50 ms', 'p99 ms', 'max ms', 'delivered']),
      );
      for (const f of r.failures.slice(0, 5)) console.log(`  not accepted: ${f}`);
      if (r.failures.length) failed = true;
    }

    console.log('\npeak RSS (VmHWM) of the lienthong process(es) over the run');
    console.log(table(children.filter((c) => c.name.startsWith('lienthong')).map((c) => [c.name, `${int(memoryOf(c.pid)?.peakMiB ?? NaN)} MiB`])));
    await recorded.close();
  } catch (err) {
    failed = true;
    console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    for (const c of children) if (c.tail()) console.error(`--- ${c.name} stderr (tail)\n${c.tail()}`);
  } finally {
    for (const c of children.reverse()) await c.stop();
    await department.close();
    await db.drop().catch((err: Error) => console.error(`could not drop the bench database: ${err.message}`));
    for (const p of prefixes) await dropQueues(p);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (opts.cpuProf) console.log(`\nCPU profile(s) in ${path.resolve(opts.cpuProf)}: npx tsx bench/profile-summary.ts <file.cpuprofile>`);
  }
  console.log(`load avg 1/5/15 at the end: ${os.loadavg().map(two).join(' ')}`);
  return failed ? 1 : 0;
}

function waitForListening(child: Child): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${child.name} did not start:\n${child.tail()}`)), 30_000);
    child.process.stdout!.on('data', (b: Buffer) => {
      if (b.toString().includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.process.once('exit', (code) => reject(new Error(`${child.name} exited with ${code}:\n${child.tail()}`)));
  });
}

/** "Every dossier recorded as delivered", read from PostgreSQL directly. */
function sqlRecorded(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', () => {}); // the bench database dropped under an idle connection, after a failure
  return {
    async all(timeoutMs: number): Promise<boolean> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { rows } = await pool.query(`select (select count(*) from dossiers)::int as d, (select count(*) from deliveries where state = 'delivered')::int as n`);
        if (rows[0].n >= rows[0].d) return true;
        if (Date.now() > deadline) return false;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => pool.end(),
  };
}

/** The same through the API (PGlite cannot be read from outside its process): no delivery pending or in flight. */
function apiRecorded(base: string) {
  const open = async (state: string) => {
    const res = await fetch(`${base}/v1/dossiers?deliveryState=${state}&limit=1`, { headers: { authorization: `Bearer ${ADMIN}` } });
    return ((await res.json()) as { items: unknown[] }).items.length > 0;
  };
  return {
    async all(timeoutMs: number): Promise<boolean> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (!(await open('pending')) && !(await open('delivering'))) return true;
        if (Date.now() > deadline) return false;
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    close: async () => {},
  };
}

process.exitCode = await main().catch((err: Error) => {
  console.error(`${err.message}\n${USAGE}`);
  return 2;
});
