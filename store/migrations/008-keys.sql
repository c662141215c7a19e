-- When each API key was last used (GET /v1/api-keys); written at most once a minute per key.
alter table api_keys add column if not exists last_used_at timestamptz;
