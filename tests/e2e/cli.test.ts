import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';
import { eventually } from '../helpers/runtime.js';
import { startServerProcess } from '../helpers/server-process.js';

const run = promisify(execFile);

/** The `lienthong` command as an operator uses it, on the embedded defaults (PGlite in DATA_DIR). */
describe('lienthong CLI', () => {
  let dataDir: string;
  const cli = (args: string[], env: Record<string, string> = {}) =>
    run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin/lienthong.ts'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env },
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'lienthong-cli-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('migrates, then reports the database up to date', async () => {
    expect(await cli(['migrate'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^applied: 001-init.sql(, \d{3}-[\w-]+\.sql)*\n$/) });
    expect(await cli(['migrate'])).toMatchObject({ code: 0, stdout: 'the database is up to date\n' });
  });

  it('refuses bad settings naming the variable', async () => {
    const r = await cli(['migrate'], { PORT: 'eighty', ADMIN_API_KEY: 'short' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('PORT');
    expect(r.stderr).toContain('ADMIN_API_KEY: must be at least 32 characters');
  });

  it('creates keys, prints an admin key on a first start without ADMIN_API_KEY, and guards the embedded database', async () => {
    const made = await cli(['keys', 'create', '--role', 'department', '--department', '000.00.15.H63', '--name', 'skhdt']);
    expect(made.code).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ role: 'department', department: '000.00.15.H63', key: expect.stringMatching(/^lt_/) });
    expect((await cli(['keys', 'create', '--role', 'department', '--name', 'x'])).code).toBe(2);

    // Keys exist already, so no admin key is announced; a fresh folder gets one.
    const fresh = await mkdtemp(path.join(os.tmpdir(), 'lienthong-cli-'));
    const server = await startServerProcess({ DATA_DIR: fresh, ADMIN_API_KEY: '' });
    try {
      const key = await eventually(() => /\n {2}(lt_\S+)\n/.exec(server.logs.join(''))?.[1]);
      const res = await fetch(`${server.base}/v1/dossiers`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(200);
      const locked = await cli(['keys', 'create', '--role', 'center', '--name', 'c'], { DATA_DIR: fresh });
      expect(locked.code).not.toBe(0);
      expect(locked.stderr).toContain('in use by process');
    } finally {
      expect(await server.stop()).toBe(0);
      await rm(fresh, { recursive: true, force: true });
    }
  });
});
