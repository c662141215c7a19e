/**
 * Console render benchmark (prints figures; not a test).
 *
 * A lienthong gateway (role `gateway`: no workers, so queued deliveries stay
 * queued) on a fresh PostgreSQL schema, with national portal sync on, three
 * departments and N dossiers (default 100,000) written straight into the
 * store with SQL: a mix of statuses, deliveries (mostly delivered, some
 * failed, some pending), two timeline entries each, some portal rejections,
 * spread over 60 days. Then every console page is requested in-process
 * (`gateway.request`, the whole Hono handling: session lookup, key check,
 * queries, JSX and SVG rendering) R times after a warm-up, as the center, the
 * admin and a department key; median, p95 and max are printed.
 *
 *   npx tsx bench/console.ts [--count 100000] [--runs 20]
 *
 * Target: every page under 200 ms on the server.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { ADMIN_KEY, restDepartment, startTestRuntime } from '../tests/helpers/runtime.js';
import { PORTAL_ENV } from '../tests/helpers/portal-simulator.js';

const { values } = parseArgs({ options: { count: { type: 'string' }, runs: { type: 'string' } } });
const COUNT = Number(values.count ?? 100_000);
const RUNS = Number(values.runs ?? 20);
const DEPTS = ['000.00.15.H63', '000.00.16.H63', '000.00.17.H63'];
const PROCEDURES = ['2.001610', '1.001612', '1.009999'];

const t = await startTestRuntime({
  store: 'postgres',
  role: 'gateway',
  env: { ...PORTAL_ENV, PORTAL_BASE_URL: 'http://127.0.0.1:9' },
});
try {
  for (const [i, id] of DEPTS.entries()) {
    const res = await t.api('PUT', `/v1/departments/${id}`, { ...restDepartment('http://127.0.0.1:9', [PROCEDURES[i]!]), name: `Sở thử ${i + 1}` });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  }
  const db = t.runtime.db;
  const started = performance.now();
  // Dossiers: code 000.00.00.H63-YYMMDD-NNNN (day from g mod 60, sequence g / 60: unique), over the last 60 days, statuses by g mod 20.
  await db.query(
    `insert into dossiers (code, department_id, procedure_code, status, content, content_hash, reference, event_seq, created_at, updated_at,
                           received_at, due_at, done_at, paused_since)
     select code, dept, proc, status,
            jsonb_build_object('code', code, 'procedure', jsonb_build_object('code', proc, 'name', 'Thủ tục thử số ' || (g % 3)),
              'channel', 'counter', 'applicant', jsonb_build_object('type', 'individual', 'name', 'Nguyễn Văn ' || g, 'idNumber', '0151900' || lpad((g % 100000)::text, 5, '0')),
              'receivedAt', created, 'documents', '[]'::jsonb, 'fees', '[]'::jsonb, 'data', '{}'::jsonb),
            md5(code), 'REF-' || g, 2, created, created,
            -- Due 3 to 14 days after receipt (so some are overdue, some due soon); done when resolved, a day early or late.
            created, created + (3 + g % 12) * interval '1 day',
            case when status = 'resolved' then created + (2 + g % 14) * interval '1 day' end,
            case when status in ('supplement_requested', 'payment_requested', 'suspended') then created + interval '1 day' end
       from (select g, '000.00.00.H63-' || to_char(now() - (g % 60) * interval '1 day', 'YYMMDD') || '-' || lpad((g / 60)::text, 4, '0') as code,
                    (array['000.00.15.H63', '000.00.16.H63', '000.00.17.H63'])[1 + g % 3] as dept,
                    (array['2.001610', '1.001612', '1.009999'])[1 + g % 3] as proc,
                    (array['processing','processing','processing','processing','processing','processing','resolved','resolved','resolved','resolved',
                           'returned','returned','supplement_requested','payment_requested','suspended','received','received','withdrawn','not_accepted','processing'])[1 + g % 20] as status,
                    now() - (g % 60) * interval '1 day' - (g % 500) * interval '1 minute' as created
               from generate_series(1, $1::int) g) s`,
    [COUNT],
  );
  await db.query(
    `insert into dossier_events (dossier_code, seq, type, status, actor, at)
     select code, 1, 'received', 'received', 'center:bench', created_at from dossiers
     union all
     select code, 2, case when status = 'received' then 'progress' else 'status_changed' end, status, 'department:' || department_id, created_at + interval '2 hours' from dossiers`,
  );
  // Deliveries: 2% failed, 3% pending, the rest delivered.
  await db.query(
    `insert into deliveries (dossier_code, department_id, operation, state, config_version, idempotency_key, attempts, last_error, created_at, updated_at, delivered_at)
     select code, department_id, 'submit', st, 1, code || ':submit', case when st = 'failed' then 8 else 1 end,
            case when st = 'failed' then 'transient: HTTP 503 from POST http://127.0.0.1:9/applications' end, created_at, created_at + interval '1 minute',
            case when st = 'delivered' then created_at + interval '1 minute' end
       from (select code, department_id, created_at, case when id % 50 = 0 then 'failed' when id % 33 = 0 then 'pending' else 'delivered' end as st from dossiers) s`,
  );
  await db.query(
    `insert into portal_sync (dossier_code, state, known, acked_seq, wanted_seq, message, synced_at, updated_at)
     select code, case when id % 200 = 0 then 'rejected' else 'synced' end, true, 2, 2,
            case when id % 200 = 0 then 'DongBoHoSoMC: Thiếu thông tin người nộp' end, updated_at, updated_at from dossiers`,
  );
  // Open alerts as the follow-up scheduler keeps them: one per overdue dossier (capped), per failed delivery, per rejection.
  await db.query(
    `insert into alerts (kind, subject, dossier_code, department, opened_at, detail)
     select 'overdue', code, code, department_id, due_at, jsonb_build_object('dueAt', due_at, 'procedure', procedure_code, 'status', status)
       from dossiers where done_at is null and due_at < now() and status not in ('withdrawn', 'not_accepted', 'returned') limit 5000`,
  );
  await db.query(
    `insert into alerts (kind, subject, dossier_code, department, opened_at, detail)
     select 'delivery_failed', 'delivery:' || id, dossier_code, department_id, updated_at,
            jsonb_build_object('operation', operation, 'state', state, 'attempts', attempts, 'lastError', last_error)
       from deliveries where state = 'failed'`,
  );
  // As autovacuum leaves a table in steady state (statistics and visibility map).
  await db.query('vacuum analyze');
  console.log(`seeded ${COUNT} dossiers (+${COUNT * 2} timeline entries, ${COUNT} deliveries, ${COUNT} portal rows) in ${Math.round(performance.now() - started)} ms`);

  const signIn = async (key: string) => {
    const res = await t.runtime.gateway.request('/console/login', {
      method: 'POST',
      headers: { origin: 'http://localhost', host: 'localhost', 'content-type': 'application/x-www-form-urlencoded' },
      body: `key=${encodeURIComponent(key)}`,
    });
    const cookie = res.headers.get('set-cookie')?.split(';')[0];
    if (res.status !== 303 || !cookie) throw new Error(`sign-in failed: ${res.status}`);
    return cookie;
  };
  const center = await signIn(await t.key('center', 'bench'));
  const admin = await signIn(ADMIN_KEY);
  const department = await signIn(await t.key('department', 'bench-dept', DEPTS[0]));
  const [newest] = await db.query<{ code: string; id: number }>('select code, id from dossiers order by id desc limit 1');
  const [failed] = await db.query<{ code: string }>(`select dossier_code as code from deliveries where state = 'failed' limit 1`);
  const [own] = await db.query<{ code: string }>(`select code from dossiers where department_id = $1 order by id limit 1`, [DEPTS[0]]);
  const mid = Math.floor(COUNT / 2);
  const today = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
  const monthsAgo = (n: number) => new Date(Date.now() + 7 * 3_600_000 - n * 30 * 86_400_000).toISOString().slice(0, 10);

  const pages: Array<[string, string, string]> = [
    ['center', center, '/console'],
    ['center', center, '/console/dossiers'],
    ['center', center, '/console/dossiers?status=processing'],
    ['center', center, `/console/dossiers?department=${DEPTS[1]}&status=resolved`],
    ['center', center, `/console/dossiers?q=${encodeURIComponent(newest!.code)}`],
    ['center', center, `/console/dossiers?q=${String(Math.floor(mid / 60)).padStart(4, '0')}`],
    ['center', center, '/console/dossiers?q=KHONG-CO'],
    ['center', center, `/console/dossiers?cursor=${mid}`],
    ['center', center, `/console/dossiers/${encodeURIComponent(failed!.code)}`],
    ['center', center, '/console/deliveries'],
    ['admin', admin, '/console/departments'],
    ['admin', admin, `/console/departments/${DEPTS[0]}`],
    ['admin', admin, '/console/portal'],
    ['center', center, '/console/dossiers?deadline=overdue'],
    ['center', center, '/console/dossiers?deadline=due_soon'],
    ['center', center, '/console/alerts'],
    ['center', center, '/console/alerts?state=resolved'],
    ['center', center, '/console/reports'],
    ['center', center, `/console/reports?from=${monthsAgo(2)}&to=${today()}&groupBy=procedure`],
    ['center', center, '/console/reports/download?format=xlsx'],
    ['department', department, '/console/alerts'],
    ['department', department, '/console/reports'],
    ['department', department, '/console'],
    ['department', department, '/console/dossiers'],
    ['department', department, `/console/dossiers/${encodeURIComponent(own!.code)}`],
    ['department', department, '/console/deliveries'],
  ];
  const rows: string[] = [];
  for (const [who, cookie, path] of pages) {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < RUNS + 3; i++) {
      const t0 = performance.now();
      const res = await t.runtime.gateway.request(path, { headers: { cookie, host: 'localhost' } });
      const body = await res.text();
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
      bytes = body.length;
      if (i >= 3) times.push(ms);
    }
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
    rows.push(`${who.padEnd(10)} ${path.padEnd(62)} median ${q(0.5).padStart(6)} ms  p95 ${q(0.95).padStart(6)} ms  max ${times.at(-1)!.toFixed(1).padStart(6)} ms  ${(bytes / 1024).toFixed(0).padStart(4)} KiB`);
  }
  console.log(`\n${COUNT} dossiers, ${RUNS} runs per page after 3 warm-up runs (in-process gateway.request):`);
  for (const r of rows) console.log(r);
} finally {
  await t.stop();
}
