-- lienthong store, version 4: deadlines. The procedure catalog, the yearly
-- calendar overrides, and each dossier's deadline columns.

-- Thủ tục hành chính: one catalog entry per procedure code (as given, or a
-- national base code such as 1.003560). `body` is the document of
-- PUT /v1/procedures/{code}.
create table procedures (
  code text primary key,
  body jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  updated_by text not null
);

-- One year's announced changes of the working calendar (PUT /v1/calendar/{year}).
create table calendar_overrides (
  year integer primary key,
  days_off jsonb not null default '[]',
  working_days jsonb not null default '[]',
  updated_at timestamptz not null default now(),
  updated_by text not null
);

-- Bumped in the transaction of every catalog or calendar change: each process
-- keeps both in memory and reloads them when this moves (a one-row read).
create table deadline_config (
  id integer primary key check (id = 1),
  version bigint not null default 0
);
insert into deadline_config (id, version) values (1, 0);

-- The deadline of a dossier (docs/deadlines.md). due_at moves only by a
-- timeline entry `deadline_changed`; extended_to never moves it.
alter table dossiers add column received_at timestamptz;
alter table dossiers add column due_at timestamptz;
alter table dossiers add column deadline_source text;
alter table dossiers add column paused_since timestamptz;
alter table dossiers add column extended_to timestamptz;
alter table dossiers add column done_at timestamptz;
alter table dossiers add column closed_at timestamptz;
-- Accepted before this release without a dueAt: the due date is computed
-- from the catalog at the next start (runtime: deadline backfill), then cleared.
alter table dossiers add column deadline_backfill boolean not null default false;

-- Backfill what the stored content and timeline already say.
update dossiers set
  received_at = (content ->> 'receivedAt')::timestamptz,
  due_at = (content ->> 'dueAt')::timestamptz,
  deadline_source = case when content ->> 'dueAt' is not null then 'center' end,
  deadline_backfill = (content ->> 'dueAt') is null;

-- done_at: when it first became resolved (the department's own time when it gave one).
update dossiers d set done_at = (
  select min(coalesce((e.detail ->> 'occurredAt')::timestamptz, e.at)) from dossier_events e
   where e.dossier_code = d.code and e.status = 'resolved')
 where d.status in ('resolved', 'returned');

update dossiers d set closed_at = (
  select min(coalesce((e.detail ->> 'occurredAt')::timestamptz, e.at)) from dossier_events e
   where e.dossier_code = d.code and e.status = d.status)
 where d.status in ('withdrawn', 'not_accepted');

-- paused_since: the start of the current run of pausing statuses, unless a
-- supplement was forwarded since (the clock runs again).
update dossiers d set paused_since = (
  select min(coalesce((e.detail ->> 'occurredAt')::timestamptz, e.at)) from dossier_events e
   where e.dossier_code = d.code and e.seq > coalesce((
     select max(x.seq) from dossier_events x where x.dossier_code = d.code
        and (x.status not in ('supplement_requested', 'payment_requested', 'suspended') or x.type = 'supplement_sent')), 0))
 where d.status in ('supplement_requested', 'payment_requested', 'suspended');

-- The deadline filter and the follow-up's scans: open dossiers by due date.
create index dossiers_open_due_idx on dossiers (due_at)
  where done_at is null and closed_at is null and due_at is not null;
create index dossiers_deadline_backfill_idx on dossiers (id) where deadline_backfill;
