import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ensureTestDatabase, TEST_DATABASE_URL } from '../helpers/db.js';

/** A fresh clone on a machine with PostgreSQL: the test setup makes its `test` database itself. */
describe('the test database', () => {
  it('is created when missing, and being asked twice (or at once) is fine', async () => {
    const url = new URL(TEST_DATABASE_URL);
    const name = `lt_missing_${randomBytes(4).toString('hex')}`;
    url.pathname = `/${name}`;
    const target = url.toString();
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      await Promise.all([ensureTestDatabase(target), ensureTestDatabase(target)]);
      const c = new pg.Client({ connectionString: target });
      await c.connect();
      expect((await c.query('select current_database() as db')).rows[0].db).toBe(name);
      await c.end();
      await ensureTestDatabase(target);
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
