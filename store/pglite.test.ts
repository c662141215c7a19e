import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPglite, PGLITE_SHARED_BUFFERS_MB } from './db.js';

const MB = 1024 * 1024;

describe('the embedded database (PGlite) in a folder', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lt-pglite-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a new folder in a child process, so that this process does not keep initdb\'s memory', async () => {
    const before = process.memoryUsage().external;
    const db = await openPglite(path.join(dir, 'pglite'));
    try {
      // Created in this process, PGlite's WebAssembly memory holds ~630 MB from then on; opened, ~140 MB.
      const grown = (process.memoryUsage().external - before) / MB;
      expect(grown).toBeLessThan(300);
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
