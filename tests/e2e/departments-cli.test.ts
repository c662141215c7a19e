import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../helpers/fixtures.js';
import { ROOT } from '../helpers/paths.js';
import { restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

const run = promisify(execFile);

/** Department IT with the CLI and its own key, against a running gateway. */
describe('lienthong departments (CLI)', () => {
  const DEPT = '000.00.15.H63';
  let t: TestRuntime;
  let dir: string;
  let own: string;
  const cli = (args: string[], key: string, env: Record<string, string> = {}) =>
    run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin/lienthong.ts'), 'departments', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', LIENTHONG_URL: t.base, LIENTHONG_API_KEY: key, LOG_LEVEL: 'silent', ...env },
    }).then(
      (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
    );

  beforeAll(async () => {
    t = await startTestRuntime();
    dir = await mkdtemp(path.join(os.tmpdir(), 'lienthong-dcli-'));
    expect((await t.api('PUT', `/v1/departments/${DEPT}`, restDepartment('http://127.0.0.1:9', ['2.001610']))).status).toBe(201);
    own = await t.key('department', 'skhdt-it', DEPT);
    await writeFile(path.join(dir, 'dossier.json'), JSON.stringify(fixture('business-registration')));
  });
  afterAll(async () => {
    await t?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('previews, updates and rolls back its own mapping; refused for another department', async () => {
    const preview = await cli(['preview', DEPT, '--operation', 'submit', '--dossier', path.join(dir, 'dossier.json')], own);
    expect(preview.code, preview.err).toBe(0);
    expect(JSON.parse(preview.out).request.body.maHoSo).toBe('000.00.00.H63-261128-0001');

    const current = JSON.parse((await cli(['get', DEPT], own)).out);
    const { id: _i, version: _v, updatedAt: _u, ...doc } = current;
    doc.operations.submit.request = '{"maHoSo": dossier.code, "nguon": "cli"}';
    await writeFile(path.join(dir, 'department.yaml'), stringify(doc));
    const put = await cli(['put', DEPT, '--file', path.join(dir, 'department.yaml')], own);
    expect(put.code, put.err).toBe(0);
    expect(JSON.parse(put.out).version).toBe(2);

    const versions = JSON.parse((await cli(['versions', DEPT], own)).out);
    expect(versions.items[0]).toMatchObject({ version: 2, changes: ['operations.submit.request'] });
    const restored = await cli(['restore', DEPT, '1'], own);
    expect(JSON.parse(restored.out)).toMatchObject({ version: 3 });
    expect((await t.runtime.services.departments.get(DEPT)).config.operations.submit.request).not.toContain('cli');

    const other = await cli(['get', '000.00.16.H63'], own);
    expect(other.code).toBe(1);
    expect(other.err).toContain('HTTP 404');
  }, 60_000);

  it('expands ${ENV} in put --file exactly like apply (the department receives the secret, not the reference)', async () => {
    const current = JSON.parse((await cli(['get', DEPT], own)).out);
    const { id: _i, version: _v, updatedAt: _u, ...doc } = current;
    doc.transport.auth = { type: 'bearer', token: '${SKHDT_TOKEN}' };
    doc.transport.baseUrl = '${SKHDT_BASE_URL}/api';
    await writeFile(path.join(dir, 'with-env.yaml'), stringify(doc));
    const put = await cli(['put', DEPT, '--file', path.join(dir, 'with-env.yaml')], own, { SKHDT_TOKEN: 'tok-Đắk-123', SKHDT_BASE_URL: 'http://127.0.0.1:9' });
    expect(put.code, put.err).toBe(0);
    expect(JSON.parse(put.out).transport.auth.token).toBe('********');
    const stored = (await t.runtime.services.departments.get(DEPT)).config.transport as unknown as { baseUrl: string; auth: { token: string } };
    expect(stored.auth.token).toBe('tok-Đắk-123');
    expect(stored.baseUrl).toBe('http://127.0.0.1:9/api');

    const unset = await cli(['put', DEPT, '--file', path.join(dir, 'with-env.yaml')], own, { SKHDT_TOKEN: 'x' });
    expect(unset.code).toBe(1);
    expect(unset.err).toContain('environment variable(s) not set: SKHDT_BASE_URL');
    expect((await t.runtime.services.departments.get(DEPT)).config.transport).toEqual(stored);
  }, 60_000);
});
