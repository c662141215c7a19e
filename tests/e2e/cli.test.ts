import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';
import { eventually } from '../helpers/runtime.js';
import { startServerProcess } from '../helpers/server-process.js';

const run = promisify(execFile);

/** The `lienthong` command as an operator uses it, on the embedded defaults (PGlite in DATA_DIR). */
describe('lienthong CLI', { timeout: 180_000 }, () => {
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
      expect(locked.code).toBe(1);
      expect(locked.stderr).toContain('in use by process');
      expect(locked.stderr).toContain('DATABASE_URL');
      expect(locked.stderr.trim().split('\n')).toHaveLength(1); // one line, no stack trace
      // Through the running gateway instead, as the message says.
      const viaGateway = await cli(['keys', 'create', '--role', 'center', '--name', 'c', '--only-key', '--url', server.base, '--key', key!], { DATA_DIR: fresh });
      expect(viaGateway.code, viaGateway.stderr).toBe(0);
      expect(viaGateway.stdout).toMatch(/^lt_\S+\n$/);
    } finally {
      expect(await server.stop()).toBe(0);
      await rm(fresh, { recursive: true, force: true });
    }
  });

  const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

  it('prints help on stdout with exit 0 for every command and sub-command', async () => {
    const asks = [['--help'], ['departments', '--help'], ['keys', '--help'], ['keys', 'create', '--help'], ['keys', 'revoke', '--help'], ['departments', 'apply', '--help'], ['portal', 'resync', '--help'], ['demo-department', '--help'], ['help', 'keys']];
    const answers = await Promise.all(asks.map((args) => cli(args, { PORT: 'not-a-port' }))); // help needs no valid settings
    answers.forEach((r, i) => {
      expect(r.code, asks[i]!.join(' ')).toBe(0);
      expect(r.stdout, asks[i]!.join(' ')).toMatch(/^Usage: lienthong/);
      expect(r.stderr).toBe('');
    });
    expect(answers[3]!.stdout).toContain('--role <role>');
    expect(answers[3]!.stdout).toContain('--department <agency code>');
  });

  it('names an unknown command or option, suggests a close one, exits 2, no stack', async () => {
    const [typo, flag, missing, group, badRole] = await Promise.all([
      cli(['kyes', 'list']),
      cli(['departments', 'apply', 'x', '--dryrun']),
      cli(['keys', 'revoke']),
      cli(['departments']),
      cli(['keys', 'create', '--role', 'boss', '--name', 'x']),
    ]);
    expect(typo).toMatchObject({ code: 2, stdout: '' });
    expect(typo.stderr).toContain("unknown command 'kyes'");
    expect(typo.stderr).toContain('Did you mean keys?');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("unknown option '--dryrun'");
    expect(flag.stderr).toContain('Did you mean --dry-run?');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'id'");
    expect(group.code).toBe(2);
    expect(group.stderr).toContain('Usage: lienthong departments');
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('Allowed choices are admin, center, department, portal');
    for (const r of [typo, flag, missing, group, badRole]) noStack(r.stderr);
  });

  it('lists keys without secrets and revokes one by its id', async () => {
    const made = JSON.parse((await cli(['keys', 'create', '--role', 'center', '--name', 'quay-2'])).stdout);
    const listed = await cli(['keys', 'list', '--json']);
    expect(listed.code).toBe(0);
    const rows = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
    expect(rows.find((r) => r.id === made.id)).toEqual({ id: made.id, role: 'center', department: null, name: 'quay-2', createdAt: expect.any(String), lastUsedAt: null, revoked: false });
    expect(listed.stdout).not.toContain(made.key);
    expect(listed.stdout).not.toMatch(/hash/i);
    expect(await cli(['keys', 'revoke', made.id])).toMatchObject({ code: 0, stdout: `revoked ${made.id}\n` });
    const table = await cli(['keys', 'list']);
    expect(table.stdout.split('\n')[0]).toMatch(/^id\s+role\s+department\s+name\s+created\s+last used\s+revoked$/);
    expect(table.stdout.split('\n').find((l) => l.startsWith(made.id))).toMatch(/quay-2 .* yes$/);
    const again = await cli(['keys', 'revoke', made.id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`lienthong: no live API key ${made.id}: see the ids with "npx lienthong keys list"\n`);
  });

  it('refuses a department file with an unset ${ENV} by name before sending; apply says when a folder has no department files, and finds them in sub-folders', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lienthong-cli-files-'));
    try {
      await writeFile(path.join(dir, 'skhdt.yaml'), 'name: Sở Kế hoạch và Đầu tư\ntransport:\n  type: rest\n  baseUrl: http://127.0.0.1:9\n  auth: { type: bearer, token: "${SKHDT_TOKEN}" }\noperations: { submit: {} }\n');
      // A gateway URL nobody listens on: had it tried to send, the message would say it cannot reach it.
      const put = await cli(['departments', 'put', '000.00.15.H63', '--file', path.join(dir, 'skhdt.yaml'), '--url', 'http://127.0.0.1:9']);
      expect(put.code).toBe(1);
      expect(put.stderr).toBe(`lienthong: ${path.join(dir, 'skhdt.yaml')}: environment variable(s) not set: SKHDT_TOKEN (export them, or write the value in the file); nothing was saved\n`);

      await mkdir(path.join(dir, 'empty', 'golden'), { recursive: true });
      await writeFile(path.join(dir, 'empty', 'golden', 'x.json'), '{}');
      const none = await cli(['departments', 'apply', path.join(dir, 'empty'), '--dry-run']);
      expect(none.code).toBe(1);
      expect(none.stderr).toContain(`no department files in ${path.join(dir, 'empty')}`);
      const absent = await cli(['departments', 'apply', path.join(dir, 'nope')]);
      expect(absent.code).toBe(1);
      expect(absent.stderr).toContain('cannot read the folder');
      noStack(absent.stderr);

      // mappings/examples keeps one department per sub-folder (with golden/*.json beside it, which are not departments).
      const examples = await cli(['departments', 'apply', 'mappings/examples', '--dry-run', '--url', 'http://127.0.0.1:9']);
      expect(examples.code).toBe(1);
      for (const name of ['file-drop-civil-status', 'rest-business-registration', 'soap-land-registry']) {
        expect(examples.stderr).toContain(`mappings/examples/${name}/department.yaml: environment variable(s) not set:`);
      }
      expect(examples.stderr).not.toContain('golden');
      expect(examples.stderr).toContain('nothing was applied');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
