-- lienthong store, version 3: document bytes. The bytes live in the blob store
-- (content-addressed); this table says which dossier document they are.
create table documents (
  dossier_code text not null references dossiers (code),
  doc_id text not null,
  name text not null,
  media_type text,
  source_url text,
  sha256 text not null,
  size bigint not null,
  stored_at timestamptz not null default now(),
  primary key (dossier_code, doc_id)
);

-- Dossiers with a result document still to fetch (the result puller's query).
create index dossiers_results_pending_idx on dossiers (updated_at) where results @> '[{"state": "pending"}]'::jsonb;
