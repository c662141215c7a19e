import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDepartments, loadDepartmentFiles } from '../../runtime/department-files.js';
import { httpApplier } from '../../runtime/departments-cli.js';
import { fixtures } from '../../tests/helpers/fixtures.js';
import { ADMIN_KEY, startTestRuntime, type TestRuntime } from '../../tests/helpers/runtime.js';

/**
 * Each folder here is a complete department configuration (department.yaml)
 * with golden files: `golden/<fixture>.<operation>.json` is the exact request
 * the preview gives for that sample dossier. UPDATE_GOLDEN=1 rewrites them
 * (then read the diff before committing); a missing golden file fails.
 */
const EXAMPLES = import.meta.dirname;
const examples = (await readdir(EXAMPLES, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
const OPERATIONS = ['submit', 'supplement', 'withdraw'] as const;

/** What changes on every call (WS-Security timestamps and nonces) is replaced by placeholders. */
const stable = (request: unknown): unknown =>
  JSON.parse(
    JSON.stringify(request)
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g, '<time>')
      .replace(/(<wsse:Nonce[^>]*>)[^<]*(<\/wsse:Nonce>)/g, '$1<nonce>$2'),
  );

const call = (t: TestRuntime) => async (method: string, p: string, body?: unknown) => {
  const res = await t.api(method, p, body, ADMIN_KEY);
  if (res.status >= 400) throw Object.assign(new Error(`HTTP ${res.status}: ${res.body?.detail}`), { errors: res.body?.errors });
  return res.body;
};

describe.each(examples)('example %s', (name) => {
  const folder = path.join(EXAMPLES, name);
  let env: Record<string, string>;
  let viaFiles: TestRuntime;
  let viaApi: TestRuntime;

  beforeAll(async () => {
    // Values starting with "./" are files of the example (a WSDL, a folder): made absolute here.
    const raw = JSON.parse(await readFile(path.join(folder, 'golden/env.json'), 'utf8')) as Record<string, string>;
    env = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.startsWith('./') ? path.join(folder, v) : v]));
    [viaFiles, viaApi] = await Promise.all([startTestRuntime(), startTestRuntime()]);
  });
  afterAll(async () => {
    await Promise.all([viaFiles?.stop(), viaApi?.stop()]);
  });

  it('applies from files to the same stored configuration as the API', async () => {
    const result = await applyDepartments(folder, httpApplier(call(viaFiles)), { env });
    expect(result.problems).toEqual([]);
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toMatch(/^\+ .*new department → version 1$/);
    const { files } = await loadDepartmentFiles(folder, env);
    const [{ id, body }] = files as [(typeof files)[0]];
    expect((await viaApi.api('PUT', `/v1/departments/${id}`, body)).status).toBe(201);
    const stored = async (t: TestRuntime) => (await t.runtime.services.departments.get(id)).config;
    expect(await stored(viaFiles)).toEqual(await stored(viaApi));
    // Applying again changes nothing and makes no new version.
    const again = await applyDepartments(folder, httpApplier(call(viaFiles)), { env });
    expect(again.lines[0]).toMatch(/unchanged$/);
  });

  it('gives the golden request for every sample dossier it routes', async () => {
    const { files } = await loadDepartmentFiles(folder, env);
    const [{ id, body }] = files as [(typeof files)[0]];
    const procedures = body.procedures as string[];
    const mine = Object.entries(fixtures()).filter(([, d]) => procedures.includes(d.procedure.code));
    expect(mine.length).toBeGreaterThan(0);
    const operations = body.operations as Record<string, unknown>;
    for (const [fixture, dossier] of mine) {
      for (const operation of OPERATIONS.filter((op) => operations[op])) {
        const res = await viaFiles.api('POST', `/v1/departments/${id}/preview`, {
          operation,
          dossier,
          reference: 'REF-0001',
          supplement: { note: 'Bổ sung bản sao công chứng', documents: [{ id: 'bs1', name: 'Bản sao công chứng', url: 'http://127.0.0.1:9199/files/bs1.pdf' }] },
          withdrawal: { reason: 'Người nộp xin rút hồ sơ' },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const file = path.join(folder, 'golden', `${fixture}.${operation}.json`);
        if (process.env.UPDATE_GOLDEN) await writeFile(file, `${JSON.stringify(stable(res.body.request), null, 2)}\n`);
        expect(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
        expect(stable(res.body.request), file).toEqual(JSON.parse(await readFile(file, 'utf8')));
      }
    }
  });

  it('refuses a folder with one bad file without applying any', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lienthong-apply-'));
    try {
      await cp(path.join(folder, 'department.yaml'), path.join(dir, 'a-good.yaml'));
      await writeFile(path.join(dir, 'b-bad.json'), JSON.stringify({ id: '000.00.98.H63', name: 'Hỏng', procedures: ['9.000001'], transport: { type: 'rest', baseUrl: 'http://x' }, operations: { submit: { request: '{"a": ' } } }));
      const t = await startTestRuntime();
      try {
        const result = await applyDepartments(dir, httpApplier(call(t)), { env });
        expect(result.ok).toBe(false);
        expect(result.problems.map((p) => path.basename(p.file))).toEqual(['b-bad.json']);
        expect(result.problems[0]!.errors?.map((e) => e.path)).toEqual(['operations.submit.path', 'operations.submit.request']);
        expect((await t.api('GET', '/v1/departments')).body.items).toEqual([]);
        const noEnv = await applyDepartments(dir, httpApplier(call(t)), { env: {} });
        expect(noEnv.problems[0]!.message).toMatch(/environment variable\(s\) not set/);
      } finally {
        await t.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
