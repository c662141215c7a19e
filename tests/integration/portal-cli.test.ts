import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DepartmentConfig } from '../../core/model/department.js';
import { openPostgres, type Db } from '../../store/db.js';
import { DepartmentStore } from '../../store/department-store.js';
import { DossierStore } from '../../store/dossier-store.js';
import { migrate } from '../../store/migrate.js';
import { fixture, withCode } from '../helpers/fixtures.js';
import { ROOT } from '../helpers/paths.js';
import { startPortalSimulator, type PortalSimulator } from '../helpers/portal-simulator.js';
import { createTestDatabase } from '../helpers/server-process.js';

const run = promisify(execFile);

/**
 * `lienthong portal resync` as an operator runs it, on dossiers that were
 * accepted while sync was off (so the portal never heard of them).
 */
describe('lienthong portal resync', () => {
  let portal: PortalSimulator;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Db;
  const codes: string[] = [];
  const since = new Date(Date.now() - 3_600_000).toISOString();
  const cli = (args: string[], env: Record<string, string> = portal.env) =>
    run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin/lienthong.ts'), 'portal', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, LOG_LEVEL: 'silent', ...env },
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  beforeAll(async () => {
    portal = await startPortalSimulator();
    database = await createTestDatabase();
    db = openPostgres(database.url, { max: 2 });
    await migrate(db);
    const config = { name: 'Sở Tư pháp', procedures: ['1.001193'], transport: { type: 'rest', baseUrl: 'http://127.0.0.1:1' }, operations: { submit: {} }, statusMap: {}, enabled: true };
    await new DepartmentStore(db).save('000.00.16.H63', config as DepartmentConfig, 'test');
    const dossiers = new DossierStore(db); // sync off: nothing recorded for the portal
    for (const n of [901, 902, 903, 904, 905, 906, 907]) {
      const dossier = withCode(fixture('birth-registration'), n);
      codes.push(dossier.code);
      await dossiers.accept({
        dossier,
        departmentId: '000.00.16.H63',
        status: 'received',
        contentHash: `h${n}`,
        entry: { type: 'received', status: 'received', actor: 'center:quay-1' },
        delivery: { departmentId: '000.00.16.H63', operation: 'submit', configVersion: 1, idempotencyKey: `${dossier.code}:submit` },
      });
      await db.tx(async (q) => {
        await dossiers.lock(q, dossier.code);
        await dossiers.append(q, dossier.code, { type: 'delivered', status: 'processing', actor: 'department:000.00.16.H63' });
        await dossiers.append(q, dossier.code, { type: 'status_changed', status: 'supplement_requested', actor: 'department:000.00.16.H63', note: 'Thiếu giấy chứng sinh' });
      });
    }
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
    await portal?.close();
  });

  it('pushes what the portal missed with a progress bar and a summary, and is safe to run twice', async () => {
    const first = await cli(['resync', '--since', since]);
    expect(first.stdout).toContain('7 dossier(s)');
    expect(first.stdout).toMatch(/synced {4}7/);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('[####################] 100%  7/7  synced 7  rejected 0');
    for (const code of codes) expect(portal.history(code)).toEqual(['create 2', 'step 2', 'update 4', 'step 4', 'update 5', 'step 5']);

    const second = await cli(['resync', '--since', since]);
    expect(second).toMatchObject({ code: 0, stdout: expect.stringMatching(/synced {4}7/) });
    for (const code of codes) expect(portal.history(code)).toEqual(['create 2', 'step 2', 'update 4', 'step 4', 'update 5', 'step 5', 'update 5']);
    expect(portal.refusals).toEqual([]);
  });

  it('stops calling a portal that is down and leaves the rest, marked, to the workers', async () => {
    await portal.down('503');
    const r = await cli(['resync', '--since', since, '--concurrency', '1']);
    await portal.up();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/retrying {2}5 /);
    expect(r.stdout).toMatch(/left {6}2 /);
    expect(r.stdout).toContain('HTTP 503');
  });

  it('refuses a bad date, and says when sync is off', async () => {
    expect(await cli(['resync', '--since', 'hôm qua'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--since: must be a date') });
    expect(await cli(['resync'])).toMatchObject({ code: 2, stderr: expect.stringContaining("required option '--since <date>' not specified") });
    expect(await cli(['resync', '--since', '2026-11-01'], {})).toMatchObject({ code: 2, stderr: expect.stringContaining('sync is off') });
    const partial = await cli(['resync', '--since', '2026-11-01'], { PORTAL_BASE_URL: portal.url });
    expect(partial.code).toBe(2);
    expect(partial.stderr).toContain('PORTAL_DSTCODE: is required when PORTAL_BASE_URL is set');
  });
});
