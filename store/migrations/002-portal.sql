-- lienthong store, version 2: keeping the national portal (DVCQG) in step.

-- The portal outbox, one row per dossier. Written in the same transaction as
-- every timeline entry meant for the portal (DossierStore.append): the entry is
-- the change, this row says it still has to reach the portal. A worker claims
-- a due row with a lease (several worker processes never push one dossier at
-- the same time), pushes the timeline entries after `acked_seq` in order, and
-- moves `acked_seq` forward as the portal accepts them.
create table portal_sync (
  dossier_code text primary key references dossiers (code),
  -- pending: something to push (or retrying), synced: the portal has it all,
  -- rejected: the portal (or translation) refused it, waiting for an operator.
  state text not null,
  -- The portal acknowledged the dossier itself: later pushes are updates.
  known boolean not null default false,
  -- Timeline entries up to this seq have been pushed and acknowledged.
  acked_seq integer not null default 0,
  -- The last timeline entry meant for the portal.
  wanted_seq integer not null default 0,
  -- Push the whole dossier again (resync, resend) even without a new entry.
  resync boolean not null default false,
  message text,
  attempts integer not null default 0,
  claims integer not null default 0,
  next_at timestamptz not null default now(),
  lease_token text,
  lease_until timestamptz,
  synced_at timestamptz,
  updated_at timestamptz not null default now()
);
create index portal_sync_due_idx on portal_sync (next_at) where state = 'pending';
