import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPglite, openPostgres, type Db } from '../../store/db.js';

/** The PostgreSQL the tests use (trust auth on the CI machine). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const ensured = new Map<string, Promise<void>>();

/**
 * Create the test database (`test` in TEST_DATABASE_URL) when it does not
 * exist yet, once per process, through the server's `postgres` maintenance
 * database. Several test processes may race: "already exists" is success.
 */
export function ensureTestDatabase(url = TEST_DATABASE_URL): Promise<void> {
  const known = ensured.get(url);
  if (known) return known;
  const making = (async () => {
    const target = new URL(url);
    const name = decodeURIComponent(target.pathname.replace(/^\//, '')) || 'postgres';
    const probe = new pg.Client({ connectionString: url });
    try {
      await probe.connect();
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== '3D000') throw err; // 3D000: database does not exist
    } finally {
      await probe.end().catch(() => {});
    }
    const maintenance = new URL(url);
    maintenance.pathname = '/postgres';
    const admin = new pg.Client({ connectionString: maintenance.toString() });
    await admin.connect();
    try {
      await admin.query(`create database "${name.replaceAll('"', '""')}"`);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== '42P04' && code !== '23505') throw err; // created meanwhile by another test process
    } finally {
      await admin.end();
    }
  })();
  ensured.set(url, making);
  making.catch(() => ensured.delete(url));
  return making;
}

export type StoreKind = 'pglite' | 'postgres';
export const STORE_KINDS: StoreKind[] = ['pglite', 'postgres'];

/**
 * A fresh, empty database: PGlite in memory, or a schema of its own in the
 * test PostgreSQL (dropped by `drop`).
 */
export async function openTestDb(kind: StoreKind): Promise<{ db: Db; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openPglite();
    return { db, drop: () => db.close() };
  }
  await ensureTestDatabase();
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const db = openPostgres(TEST_DATABASE_URL, { schema, max: 5 });
  return {
    db,
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}
