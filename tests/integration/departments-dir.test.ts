import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';
import { startTestRuntime } from '../helpers/runtime.js';

/** DEPARTMENTS_DIR: the gateway applies a folder of department files when it starts, all or none. */
describe('DEPARTMENTS_DIR', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lienthong-ddir-'));
    await cp(path.join(ROOT, 'mappings/examples/rest-business-registration/department.yaml'), path.join(dir, 'skhdt.yaml'));
    Object.assign(process.env, { DKKD_BASE_URL: 'http://dkkd.example.test', DKKD_API_TOKEN: 'from-the-environment' });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('applies the folder at start, secrets from the environment', async () => {
    const t = await startTestRuntime({ env: { DEPARTMENTS_DIR: dir } });
    try {
      const d = await t.runtime.services.departments.get('000.00.15.H63');
      expect(d.version).toBe(1);
      expect((d.config.transport as unknown as { auth: { token: string } }).auth.token).toBe('from-the-environment');
      expect((await t.api('GET', '/v1/departments/000.00.15.H63')).body.transport.auth.token).toBe('********');
    } finally {
      await t.stop();
    }
  });

  it('refuses to start when one file is bad, applying none', async () => {
    await writeFile(path.join(dir, 'zz-bad.json'), JSON.stringify({ id: '000.00.99.H63', name: 'x', transport: { type: 'rest', baseUrl: 'http://x' }, operations: { submit: { path: 'no-slash' } } }));
    await expect(startTestRuntime({ env: { DEPARTMENTS_DIR: dir } })).rejects.toThrow(/zz-bad\.json[\s\S]*operations\.submit\.path/);
  });
});
