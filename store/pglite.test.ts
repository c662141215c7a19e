import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPglite, PGLITE_SHARED_BUFFERS_MB } from './db.js';

const MB = 1024 * 1024;
const RSS_GROWTH_LIMIT_MB = 450;

describe('the embedded database (PGlite) in a folder', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lt-pglite-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a new folder in a child process, so that this process does not keep initdb\'s memory', async () => {
    const before = process.memoryUsage().rss;
    const db = await openPglite(path.join(dir, 'pglite'));
    try {
      // Created in this process (its database thread), PGlite's WebAssembly memory holds ~630 MB from then on; opened, ~140 MB.
      const grown = (process.memoryUsage().rss - before) / MB;
      expect(grown).toBeLessThan(RSS_GROWTH_LIMIT_MB);
      expect(existsSync(path.join(dir, 'pglite', 'PG_VERSION'))).toBe(true);
      const [row] = await db.query<{ v: string }>(`select current_setting('shared_buffers') as v`);
      expect(row?.v).toBe(`${PGLITE_SHARED_BUFFERS_MB}MB`);
      await db.exec('create table kept (n int); insert into kept values (7)');
    } finally {
      await db.close();
    }
    // Opened again: the same data, the page cache as asked, and the folder's own postgresql.conf untouched (initdb's).
    const again = await openPglite(path.join(dir, 'pglite'), { sharedBuffersMb: 16 });
    try {
      expect(await again.query('select n from kept')).toEqual([{ n: 7 }]);
      const [row] = await again.query<{ v: string }>(`select current_setting('shared_buffers') as v`);
      expect(row?.v).toBe('16MB');
      expect(await readFile(path.join(dir, 'pglite', 'postgresql.conf'), 'utf8')).toMatch(/^max_connections = /m);
    } finally {
      await again.close();
    }
    expect(existsSync(path.join(dir, 'pglite', 'lienthong.pid'))).toBe(false);
  });

  it('says which folder it could not create, and lets go of it', async () => {
    // A file where initdb makes its folder `global`: it cannot create the database there.
    const bad = path.join(dir, 'not-a-database');
    await mkdir(bad);
    await writeFile(path.join(bad, 'global'), 'someone else\'s file\n');
    await expect(openPglite(bad)).rejects.toThrow(`creating the embedded database in ${bad} failed`);
    expect(existsSync(path.join(bad, 'lienthong.pid'))).toBe(false);
  });
});

describe('the embedded database on its own thread', () => {
  it('answers as PostgreSQL does: types converted, errors with their code, transactions all or nothing', async () => {
    const db = await openPglite();
    try {
      await db.exec('create table t (id bigint primary key, at timestamptz not null, doc jsonb)');
      await db.query('insert into t values ($1, $2, $3)', [1, '2026-12-02T01:00:00+07:00', JSON.stringify({ a: [1, 'x'] })]);
      expect(await db.query('select id, at, doc from t')).toEqual([{ id: 1, at: '2026-12-01T18:00:00.000Z', doc: { a: [1, 'x'] } }]);
      await expect(db.query('insert into t values (1, now(), null)')).rejects.toMatchObject({ code: '23505', message: expect.stringMatching(/duplicate key/) });
      await expect(db.tx(async (q) => {
        await q.query('insert into t values (2, now(), null)');
        throw new Error('changed my mind');
      })).rejects.toThrow('changed my mind');
      expect(await db.tx(async (q) => {
        await q.query('insert into t values (3, now(), null)');
        return (await q.query<{ n: number }>('select count(*)::int as n from t'))[0]?.n;
      })).toBe(2);
      expect(await db.query('select id from t order by id')).toEqual([{ id: 1 }, { id: 3 }]);
      // Concurrent statements and transactions, in any order: each answered with its own rows.
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2
        ? db.query<{ v: number }>('select $1::int as v', [i])
        : db.tx((q) => q.query<{ v: number }>('select $1::int as v', [i])))));
      expect(answers.map((rows) => rows[0]?.v)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    } finally {
      await db.close();
    }
  });

  it('does not hold the process at its end when it was not closed', async () => {
    const script = `import { openPglite } from ${JSON.stringify(new URL('./db.ts', import.meta.url).href)};
      const db = await openPglite(); console.log(JSON.stringify(await db.query('select 1 as one')));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], { timeout: 60_000 });
    expect(JSON.parse(stdout)).toEqual([{ one: 1 }]);
  });
});
