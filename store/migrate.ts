import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from './db.js';

const MIGRATIONS_DIR = path.join(import.meta.dirname, 'migrations');
/** Serialises concurrent starters (several gateways and workers on one PostgreSQL). */
const LOCK_ID = 7_310_420_261;

/**
 * Apply every migration in `store/migrations/` not applied yet, in file-name
 * order, each in its own transaction. Safe to run from several processes at
 * once. Returns the names applied.
 */
export async function migrate(db: Db): Promise<string[]> {
  // Under the lock too: two processes running "create table if not exists" at once on a fresh
  // database collide in PostgreSQL's catalog (duplicate key in pg_type) instead of one waiting.
  await db.tx(async (q) => {
    await q.query('select pg_advisory_xact_lock($1)', [LOCK_ID]);
    await q.query(`create table if not exists schema_migrations (
      name text primary key, applied_at timestamptz not null default now())`);
  });
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  const applied: string[] = [];
  for (const name of files) {
    const sql = await readFile(path.join(MIGRATIONS_DIR, name), 'utf8');
    const done = await db.tx(async (q) => {
      await q.query('select pg_advisory_xact_lock($1)', [LOCK_ID]);
      const seen = await q.query('select 1 from schema_migrations where name = $1', [name]);
      if (seen.length > 0) return false;
      for (const statement of splitStatements(sql)) await q.query(statement);
      await q.query('insert into schema_migrations (name) values ($1)', [name]);
      return true;
    });
    if (done) applied.push(name);
  }
  return applied;
}

/**
 * Split a migration script into statements: comment lines dropped first (a
 * comment may end with ";"), then split on ";" at line ends. Our migrations
 * keep to that: no functions, no ";" ending a line inside a string.
 */
export function splitStatements(sql: string): string[] {
  return sql
    .replace(/^\s*--.*$/gm, '')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean);
}
