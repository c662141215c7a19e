-- lienthong store, version 1: departments, keys, dossiers, their timeline and deliveries.

create table departments (
  id text primary key,
  version integer not null,
  config jsonb not null,
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Every saved configuration, kept: a delivery uses the version current when it was queued.
create table department_versions (
  department_id text not null references departments (id),
  version integer not null,
  config jsonb not null,
  changed_at timestamptz not null default now(),
  changed_by text not null,
  primary key (department_id, version)
);

-- Routing: which department decides dossiers of a procedure.
create table procedure_routes (
  procedure_code text primary key,
  department_id text not null references departments (id)
);

create table api_keys (
  id text primary key,
  key_hash text not null unique,
  role text not null,
  department_id text,
  name text not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);

create table dossiers (
  id integer generated always as identity unique,
  code text primary key,
  department_id text not null,
  procedure_code text not null,
  status text not null,
  content jsonb not null,
  content_hash text not null,
  reference text,
  results jsonb not null default '[]',
  event_seq integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index dossiers_department_idx on dossiers (department_id, id desc);
create index dossiers_status_idx on dossiers (status, id desc);
create index dossiers_reference_idx on dossiers (department_id, reference) where reference is not null;

-- The append-only timeline of a dossier. `identity` is set for department
-- events, so that replaying one adds nothing.
create table dossier_events (
  dossier_code text not null references dossiers (code),
  seq integer not null,
  type text not null,
  at timestamptz not null default now(),
  status text not null,
  actor text not null,
  note text,
  detail jsonb,
  identity text,
  primary key (dossier_code, seq)
);
create unique index dossier_events_identity_idx on dossier_events (dossier_code, identity) where identity is not null;

-- One operation (submit, supplement, withdraw) to send to a department: the outbox.
create table deliveries (
  id integer generated always as identity primary key,
  dossier_code text not null references dossiers (code),
  department_id text not null,
  operation text not null,
  state text not null,
  config_version integer not null,
  idempotency_key text not null unique,
  payload jsonb,
  attempts integer not null default 0,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  delivered_at timestamptz
);
create index deliveries_open_idx on deliveries (updated_at) where state in ('pending', 'delivering');
create index deliveries_dossier_idx on deliveries (dossier_code, id desc);
create index deliveries_state_idx on deliveries (state, department_id);
