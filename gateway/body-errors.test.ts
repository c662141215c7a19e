import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../tests/helpers/fixtures.js';
import { ADMIN_KEY, startTestRuntime, type TestRuntime } from '../tests/helpers/runtime.js';

/** A JSON endpoint sent the wrong thing answers with what to send, as problem+json. */
describe('JSON bodies that cannot be read', () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await startTestRuntime();
  });
  afterAll(() => t?.stop());

  const send = async (path: string, body: string, type?: string, method = 'POST') => {
    const res = await fetch(t.base + path, {
      method,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(type ? { 'content-type': type } : {}) },
      body,
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as any };
  };
  const dossier = JSON.stringify(fixture('business-registration'));

  it('415 naming the Content-Type to send, for another type or none', async () => {
    const form = await send('/v1/dossiers', dossier, 'application/x-www-form-urlencoded'); // what curl -d sends by default
    expect(form).toMatchObject({ status: 415, type: expect.stringContaining('application/problem+json') });
    expect(form.body.detail).toBe('send Content-Type: application/json (this request said "application/x-www-form-urlencoded")');
    const text = await send('/v1/api-keys', '{"role":"center","name":"x"}', 'text/plain');
    expect(text).toMatchObject({ status: 415, body: { detail: expect.stringMatching(/^send Content-Type: application\/json/) } });
  });

  it('400 "the body is empty" for an empty JSON body (curl -d @missing-file)', async () => {
    for (const [path, method] of [['/v1/dossiers', 'POST'], ['/v1/departments/000.00.15.H63', 'PUT'], ['/v1/api-keys', 'POST']] as const) {
      const r = await send(path, '', 'application/json', method);
      expect(r.status, path).toBe(400);
      expect(r.type).toContain('application/problem+json');
      expect(r.body.detail, path).toMatch(/^the body is empty: send a JSON document with Content-Type: application\/json/);
    }
  });

  it('400 with the parser\'s reason for broken JSON', async () => {
    const r = await send('/v1/dossiers', '{"code": ', 'application/json; charset=utf-8');
    expect(r.status).toBe(400);
    expect(r.body.detail).toMatch(/^the body is not valid JSON: /);
    expect(r.body.detail).not.toMatch(/\n/);
  });
});
