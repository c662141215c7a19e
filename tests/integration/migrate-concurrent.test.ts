import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres, type Db } from '../../store/db.js';
import { migrate } from '../../store/migrate.js';
import { ensureTestDatabase, TEST_DATABASE_URL } from '../helpers/db.js';

/** `lienthong gateway` and `lienthong worker` started together on a fresh database (postgres). */
describe('migrations from several processes at once', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const dbs: Db[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.close();
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.end();
  });

  it('four starters on a fresh schema: none fails, each migration is applied exactly once', async () => {
    await ensureTestDatabase();
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await c.connect();
    await c.query(`create schema ${schema}`);
    await c.end();
    for (let i = 0; i < 4; i++) dbs.push(openPostgres(TEST_DATABASE_URL, { schema, max: 2 }));
    const applied = await Promise.all(dbs.map((db) => migrate(db)));
    const all = applied.flat().sort();
    expect(new Set(all).size).toBe(all.length);
    const rows = await dbs[0]!.query<{ name: string }>('select name from schema_migrations order by name');
    expect(all).toEqual(rows.map((r) => r.name));
    expect(all.length).toBeGreaterThanOrEqual(8);
  });
});
