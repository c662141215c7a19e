/**
 * Progress report benchmark (prints figures; not a test).
 *
 * Starts a whole lienthong runtime (startTestRuntime: gateway, workers) on a
 * fresh PostgreSQL schema, writes N dossiers straight into it with one
 * `insert … select … from generate_series` (12 departments, skewed; ~8
 * procedures each; received over the last 2 years; 70 % resolved — some
 * late —, withdrawn, not accepted, paused, open; 40 % online; 80 % known to
 * the national portal; a realistic ~1 KB content each), ANALYZEs, then times
 * `GET /v1/reports/progress` over real HTTP for every groupBy × format, for a
 * one-month and a one-year period (best and median of `--runs`); then one
 * alert evaluation over the same dossiers (the 12 departments are bare rows,
 * so their checks fail: 12 department_down alerts too).
 *
 *   npx tsx bench/report.ts [--count 100000] [--runs 5]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ADMIN_KEY, startTestRuntime } from '../tests/helpers/runtime.js';
import { vnDate, addDays } from '../core/follow-up/report-period.js';

const { values } = parseArgs({ options: { count: { type: 'string' }, runs: { type: 'string' } } });
const COUNT = Number(values.count ?? 100_000);
const RUNS = Number(values.runs ?? 5);

const SEED = `
with r as (
  select g,
    1 + floor(power(random(), 1.6) * 12)::int as dept,
    floor(random() * 8)::int as proc,
    now() - random() * interval '730 days' as received_at,
    3 + floor(random() * 18)::int as days,
    random() as u, random() as v, random() as w
  from generate_series(1, $1::int) g
), s as (
  select r.*, r.received_at + r.days * interval '1 day' as due_at,
    r.received_at + (r.v * r.days * 1.3) * interval '1 day' as done_guess
  from r
)
insert into dossiers (code, department_id, procedure_code, status, content, content_hash, received_at, due_at, deadline_source, done_at, closed_at, paused_since, created_at)
select format('000.00.00.H63-%s-%s', to_char(received_at, 'YYMMDD'), lpad(g::text, 6, '0')),
  format('000.00.%s.H63', lpad(dept::text, 2, '0')),
  format('%s.%s', 1 + dept, lpad(proc::text, 6, '0')),
  case when u < 0.70 and done_guess < now() then 'resolved' when u < 0.75 then 'withdrawn' when u < 0.78 then 'not_accepted'
       when u < 0.83 then 'supplement_requested' else 'processing' end,
  jsonb_build_object('code', g, 'channel', case when w < 0.4 then 'online' else 'counter' end,
    'procedure', jsonb_build_object('code', format('%s.%s', 1 + dept, lpad(proc::text, 6, '0')), 'name', format('Thủ tục số %s của sở %s', proc, dept)),
    'applicant', jsonb_build_object('type', 'individual', 'name', 'Nguyễn Văn ' || g, 'idNumber', lpad(g::text, 12, '0'), 'phone', '09' || lpad(g::text, 8, '0'), 'address', repeat('Tổ dân phố, phường, tỉnh ', 6)),
    'summary', repeat('Đề nghị giải quyết hồ sơ theo quy định. ', 8),
    'receivedAt', received_at,
    'documents', jsonb_build_array(jsonb_build_object('id', 'tp1', 'name', 'Giấy đề nghị', 'url', 'https://example.vn/' || g || '/tp1.pdf'),
                                   jsonb_build_object('id', 'tp2', 'name', 'Bản sao giấy tờ', 'url', 'https://example.vn/' || g || '/tp2.pdf'))),
  md5(g::text), received_at, due_at, 'computed',
  case when u < 0.70 and done_guess < now() then done_guess end,
  case when u >= 0.70 and u < 0.75 then received_at + interval '1 day' when u >= 0.75 and u < 0.78 then received_at + interval '1 hour' end,
  case when u >= 0.78 and u < 0.83 then received_at + interval '2 days' end,
  received_at
from s`;

async function main() {
  const rt = await startTestRuntime({ store: 'postgres' });
  try {
    const db = rt.runtime.db;
    let started = performance.now();
    await db.query(`insert into departments (id, version, config) select format('000.00.%s.H63', lpad(g::text, 2, '0')), 1, jsonb_build_object('name', 'Sở số ' || g) from generate_series(1, 12) g`);
    await db.query(SEED, [COUNT]);
    await db.query(`insert into portal_sync (dossier_code, state, known, synced_at) select code, 'synced', true, now() from dossiers where random() < 0.8`);
    await db.query('analyze dossiers');
    await db.query('analyze portal_sync');
    console.log(`seeded ${COUNT} dossiers in ${Math.round(performance.now() - started)} ms (PostgreSQL schema, generate_series)`);

    const today = vnDate(new Date());
    const periods = { month: [addDays(today, -29), today], year: [addDays(today, -364), today] } as const;
    console.log('period  groupBy     format  best ms  median ms  rows  bytes');
    for (const [label, [from, to]] of Object.entries(periods)) {
      for (const groupBy of ['department', 'procedure', 'none']) {
        for (const format of ['json', 'csv', 'xlsx']) {
          const times: number[] = [];
          let bytes = 0;
          let rows = 0;
          for (let i = 0; i < RUNS + 1; i++) {
            started = performance.now();
            const res = await fetch(`${rt.base}/v1/reports/progress?from=${from}&to=${to}&groupBy=${groupBy}&format=${format}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
            const body = Buffer.from(await res.arrayBuffer());
            if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${body.toString()}`);
            if (i > 0) times.push(performance.now() - started); // the first run warms up
            bytes = body.length;
            if (format === 'json') rows = (JSON.parse(body.toString()) as { rows: unknown[] }).rows.length;
          }
          times.sort((a, b) => a - b);
          const median = times[Math.floor(times.length / 2)] as number;
          console.log(`${label.padEnd(7)} ${groupBy.padEnd(11)} ${format.padEnd(7)} ${(times[0] as number).toFixed(0).padStart(7)} ${median.toFixed(0).padStart(10)} ${String(format === 'json' ? rows : '').padStart(5)} ${String(bytes).padStart(6)}`);
        }
      }
    }
    // Alert evaluation over the same dossiers: the first opens every overdue / due_soon alert, the second changes nothing.
    for (const label of ['first (opens)', 'second (no change)']) {
      started = performance.now();
      const changed = await rt.runtime.services.alerts.evaluate();
      console.log(`alert evaluation, ${label}: ${Math.round(performance.now() - started)} ms, opened ${changed.opened}, resolved ${changed.resolved}`);
    }
    const plan = await db.query<{ 'QUERY PLAN': string }>(`explain analyze select count(*) from dossiers where received_at < now() and coalesce(least(done_at, closed_at), 'infinity'::timestamptz) >= now() - interval '30 days'`);
    console.log(plan.map((p) => p['QUERY PLAN']).join('\n'));
  } finally {
    await rt.stop();
  }
}

await main();
