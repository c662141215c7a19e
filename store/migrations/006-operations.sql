-- lienthong store, version 6: operations (issue 13): the audit log, department
-- health (pause by hand), and what the metrics and bulk retry read.

-- The tamper-evident audit log (nhật ký kiểm toán). Rows are written in the
-- transaction of the change they record, with `hash` null; a background sealer
-- (one at a time across processes) fills `hash` in `seq` order:
--   hash = sha256_hex(previous hash || canonical JSON of {seq, at, actor, action, subject, detail})
-- (see core/audit/chain.ts). `at` is kept to the millisecond so that its ISO form is exact.
create table audit_log (
  seq bigserial primary key,
  at timestamptz not null default date_trunc('milliseconds', clock_timestamp()),
  actor jsonb not null,
  action text not null,
  subject text not null,
  detail jsonb not null default '{}',
  hash text
) with (fillfactor = 80);
-- No index involves `hash`, and pages keep room (fillfactor): sealing updates stay
-- heap-only (HOT), so they touch no index (009 lowers it to 50: at 80 most did not find room).
-- The sealer walks the primary key from its head.
create index audit_log_subject_idx on audit_log (subject, seq);
create index audit_log_action_idx on audit_log (action, seq);

-- A department stopped by hand (POST /v1/departments/{id}/pause): survives restarts.
-- The circuit breaker's live state is in Redis (queue/breaker.ts).
create table department_health (
  department_id text primary key,
  paused boolean not null default false,
  changed_at timestamptz not null default now(),
  changed_by text
);

-- Failed deliveries, listed and retried many at once.
create index deliveries_failed_department_idx on deliveries (department_id, id) where state = 'failed';

-- The deadline columns the open-dossiers gauge reads (created by 004-deadlines;
-- repeated here, harmlessly, so this branch works on its own).
alter table dossiers add column if not exists due_at timestamptz;
alter table dossiers add column if not exists paused_since timestamptz;
