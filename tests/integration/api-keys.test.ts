import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyStore } from '../../store/key-store.js';
import { eventually, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

/** GET /v1/api-keys: a key whose id was not written down can be found and revoked. */
describe('listing API keys', () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await startTestRuntime();
  });
  afterAll(() => t?.stop());

  it('lists id, role, department, name, createdAt, lastUsedAt, revoked; never a secret or a hash; admin only', async () => {
    const made = (await t.api('POST', '/v1/api-keys', { role: 'department', department: '000.00.15.H63', name: 'skhdt' })).body;
    const center = await t.key('center', 'quay-1');
    const res = await t.api('GET', '/v1/api-keys');
    expect(res.status).toBe(200);
    const mine = res.body.items.find((k: { id: string }) => k.id === made.id);
    expect(mine).toEqual({ id: made.id, role: 'department', department: '000.00.15.H63', name: 'skhdt', createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), lastUsedAt: null, revoked: false });
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(made.key);
    expect(text).not.toMatch(/hash/i);
    expect((await t.api('GET', '/v1/api-keys', undefined, center)).status).toBe(403);
    expect((await t.api('GET', '/v1/api-keys', undefined, made.key)).status).toBe(403); // also marks it used

    const used = await eventually(async () => (await t.api('GET', '/v1/api-keys')).body.items.find((k: { id: string; lastUsedAt: string | null }) => k.id === made.id && k.lastUsedAt));
    expect(Date.parse(used.lastUsedAt)).toBeGreaterThan(Date.now() - 60_000);

    expect((await t.api('DELETE', `/v1/api-keys/${made.id}`)).status).toBe(204);
    const after = (await t.api('GET', '/v1/api-keys')).body.items.find((k: { id: string }) => k.id === made.id);
    expect(after.revoked).toBe(true);
    expect((await t.api('GET', '/v1/dossiers', undefined, made.key)).status).toBe(401);
  });

  it('writes lastUsedAt at most once a minute per key', async () => {
    const store = new KeyStore(t.runtime.db);
    const made = (await t.api('POST', '/v1/api-keys', { role: 'center', name: 'quay-9' })).body;
    const at = async () => (await store.list()).find((k) => k.id === made.id)!.lastUsedAt;
    await store.touch(made.id);
    const first = await at();
    expect(first).not.toBeNull();
    await store.touch(made.id);
    expect(await at()).toBe(first);
  });
});
