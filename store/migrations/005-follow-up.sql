-- lienthong store, version 5: follow-up (theo dõi, đôn đốc): alerts, their
-- webhook outbox, and what the progress report reads.

-- The deadline columns (created by 004-deadlines.sql; repeated here so that
-- this migration stands alone). Types as in 004.
alter table dossiers add column if not exists received_at timestamptz;
alter table dossiers add column if not exists due_at timestamptz;
alter table dossiers add column if not exists deadline_source text;
alter table dossiers add column if not exists paused_since timestamptz;
alter table dossiers add column if not exists extended_to timestamptz;
alter table dossiers add column if not exists done_at timestamptz;
alter table dossiers add column if not exists closed_at timestamptz;
update dossiers set received_at = (content->>'receivedAt')::timestamptz where received_at is null;

-- The channel (counter, online, postal), kept by the database itself so the
-- report never reads the dossier's content.
alter table dossiers add column if not exists channel text generated always as (content->>'channel') stored;

-- What the progress report scans: dossiers received before the period's end
-- and not finished (done or closed) before its start.
create index if not exists dossiers_received_at_idx on dossiers (received_at);
create index if not exists dossiers_finished_at_idx on dossiers ((coalesce(least(done_at, closed_at), 'infinity'::timestamptz)));
-- Procedure names for the report, and grouping by procedure.
create index if not exists dossiers_procedure_idx on dossiers (procedure_code, id desc);
-- Alert evaluation (overdue, due_soon) uses dossiers_open_due_idx of 004.

-- One alert per condition: `subject` names what it is about (a dossier code,
-- `delivery:<id>`, a department id). At most one open alert per (kind, subject):
-- however many processes evaluate, a condition opens one alert.
create table alerts (
  id bigint generated always as identity primary key,
  kind text not null,
  subject text not null,
  state text not null default 'open',
  dossier_code text,
  department text,
  opened_at timestamptz not null default now(),
  resolved_at timestamptz,
  detail jsonb not null default '{}'
);
create unique index alerts_open_uidx on alerts (kind, subject) where state = 'open';
create index alerts_state_idx on alerts (state, id desc);
create index alerts_department_idx on alerts (department, id desc);

-- The webhook outbox: one row per opened or resolved alert, written in the
-- transaction that opened or resolved it. `body` is fixed when written, so a
-- retry sends (and signs) the same bytes. Claimed with a lease under
-- `for update skip locked`; `sent` once the receiver answered 2xx.
create table alert_webhooks (
  id bigint generated always as identity primary key,
  alert_id bigint not null references alerts (id),
  event text not null,
  body text not null,
  state text not null default 'pending',
  attempts integer not null default 0,
  next_at timestamptz not null default now(),
  lease_until timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index alert_webhooks_due_idx on alert_webhooks (next_at) where state = 'pending';
create index alert_webhooks_alert_idx on alert_webhooks (alert_id, id);

-- One evaluation round at a time for the whole cluster: a process evaluates
-- only when it moves `next_at` forward (one statement, so one winner).
-- `observed_at`: when the newest department observation (made outside the
-- transaction) that was applied began; an older one is not applied after it.
create table alert_rounds (
  id integer primary key,
  next_at timestamptz not null,
  last_run_at timestamptz,
  observed_at timestamptz
);
insert into alert_rounds (id, next_at) values (1, now()) on conflict (id) do nothing;
