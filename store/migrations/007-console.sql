-- lienthong store, version 7: the operator console (bảng điều khiển).

-- Console sessions, kept in the store so that any gateway accepts them. Only
-- the SHA-256 of the session id is stored; the id itself lives in the cookie.
create table console_sessions (
  id_hash text primary key,
  -- The API key the session was opened with: checked on every request, so a
  -- revoked key ends its sessions.
  key_id text not null,
  role text not null,
  department_id text,
  name text not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  -- Absolute expiry (CONSOLE_SESSION_HOURS); idle expiry is last_seen_at + CONSOLE_IDLE_MINUTES.
  expires_at timestamptz not null
);
create index console_sessions_key_idx on console_sessions (key_id);
create index console_sessions_expires_idx on console_sessions (expires_at);

-- Sign-in attempts per address (its SHA-256, never the address): the rate limit.
create table console_sign_ins (
  address_hash text not null,
  at timestamptz not null default now(),
  ok boolean not null
);
create index console_sign_ins_idx on console_sign_ins (address_hash, at);

-- What the console's pages read.
create index dossiers_created_idx on dossiers (created_at);
create index dossiers_department_status_idx on dossiers (department_id, status, id desc);
create index dossier_events_resolved_idx on dossier_events (at) where type = 'status_changed' and status = 'resolved';
create index deliveries_failed_idx on deliveries (updated_at desc, id desc) where state = 'failed';
create index portal_sync_rejected_idx on portal_sync (updated_at desc) where state = 'rejected';
