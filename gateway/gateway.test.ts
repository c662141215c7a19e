import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../runtime/logger.js';
import { fixture, withCode } from '../tests/helpers/fixtures.js';
import { ADMIN_KEY, restDepartment, startTestRuntime, type TestRuntime } from '../tests/helpers/runtime.js';

/** HTTP-level behaviour of the gateway, in process (`app.request`), on a real store and Redis. */
describe('gateway', () => {
  const DEPT = '000.00.15.H63';
  const logLines: string[] = [];
  let t: TestRuntime;
  let center: string;
  const base = fixture('business-registration');

  const req = async (method: string, path: string, body?: unknown, key: string | null = ADMIN_KEY, headers: Record<string, string> = {}) => {
    const res = await t.runtime.gateway.request(path, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: any = text;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: json, type: res.headers.get('content-type') ?? '', headers: res.headers };
  };

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    t = await startTestRuntime({ env: { BODY_LIMIT_BYTES: '4096' }, logger: createLogger('debug', sink) });
    center = await t.key('center', 'quay-1');
    expect((await req('PUT', `/v1/departments/${DEPT}`, restDepartment('http://127.0.0.1:9', [base.procedure.code]))).status).toBe(201);
  });
  afterAll(() => t?.stop());

  it('answers health and readiness without a key', async () => {
    expect((await req('GET', '/healthz', undefined, null)).body).toEqual({ status: 'ok' });
    expect((await req('GET', '/readyz', undefined, null)).body).toMatchObject({ status: 'ready', database: true, redis: true, checks: { database: { state: 'up' }, redis: { state: 'up' } } });
  });

  it('refuses missing and unknown keys (401) and missing rights (403) as problem+json', async () => {
    const none = await req('GET', '/v1/dossiers', undefined, null);
    expect(none.status).toBe(401);
    expect(none.type).toContain('application/problem+json');
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await req('GET', '/v1/dossiers', undefined, 'lt_unknown')).status).toBe(401);
    const forbidden = await req('PUT', `/v1/departments/${DEPT}`, restDepartment('http://x', []), center);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ status: 403, title: 'Forbidden' });
    const portal = await t.key('portal', 'dvcqg');
    expect((await req('POST', '/v1/dossiers', base, portal)).status).toBe(403);
    const revoked = await req('POST', '/v1/api-keys', { role: 'center', name: 'tmp' });
    expect((await req('DELETE', `/v1/api-keys/${revoked.body.id}`)).status).toBe(204);
    expect((await req('GET', '/v1/dossiers', undefined, revoked.body.key)).status).toBe(401);
    expect((await req('POST', '/v1/api-keys', { role: 'department', name: 'x' })).body.errors[0].path).toBe('department');
  });

  it('turns malformed JSON into 400, a huge body into 413, an unknown route into 404', async () => {
    const malformed = await req('POST', '/v1/dossiers', '{"code": ', center);
    expect(malformed.status).toBe(400);
    expect(malformed.type).toContain('application/problem+json');
    const huge = await req('POST', '/v1/dossiers', { ...base, summary: 'x'.repeat(10_000) }, center);
    expect(huge.status).toBe(413);
    expect(huge.body.detail).toContain('4096');
    expect((await req('GET', '/v1/nothing')).status).toBe(404);
    const notJson = await req('POST', '/v1/dossiers', '<xml/>', center, { 'content-type': 'application/xml' });
    expect(notJson.status).toBeGreaterThanOrEqual(400);
    expect(notJson.status).toBeLessThan(500);
    expect((await req('POST', '/v1/dossiers', [1, 2], center)).status).toBe(422);
  });

  it('validates departments in full: broken JSONata and unknown transports are 422 naming the field', async () => {
    const broken = restDepartment('http://127.0.0.1:9', ['1.000001']);
    (broken.operations.submit as { request: string }).request = '{"a": dossier.code';
    const res = await req('PUT', '/v1/departments/000.00.20.H63', broken);
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('operations.submit.request');
    const unknown = await req('PUT', '/v1/departments/000.00.20.H63', { ...broken, transport: { type: 'carrier-pigeon' } });
    expect(unknown.body.errors).toEqual([{ path: 'transport.type', message: 'unknown transport "carrier-pigeon"' }]);
    const badUrl = await req('PUT', '/v1/departments/000.00.20.H63', { ...restDepartment('not a url', []) });
    expect(badUrl.status).toBe(422);
    expect(badUrl.body.errors.map((e: { path: string }) => e.path)).toContain('transport.baseUrl');
    const taken = await req('PUT', '/v1/departments/000.00.21.H63', restDepartment('http://127.0.0.1:9', [base.procedure.code]));
    expect(taken.status).toBe(409);
    expect(taken.body.detail).toContain(DEPT);
  });

  it("answers 422 naming the expression when a department's callback does not fit its mapping", async () => {
    const deptKey = await t.key('department', 'skhdt', DEPT);
    const res = await req('POST', `/v1/departments/${DEPT}/events`, { applicationId: 'X', state: 42 }, deptKey);
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('callback.event');
    const unknown = await req('POST', `/v1/departments/${DEPT}/events`, { applicationId: 'NO-SUCH', state: 'DANG_XU_LY' }, deptKey);
    expect(unknown.status).toBe(404);
    const otherDept = await req('POST', '/v1/departments/000.00.99.H63/events', { applicationId: 'X', state: 'DANG_XU_LY' }, deptKey);
    expect(otherDept.status).toBe(404);
  });

  it("checks a department's transport and says why it failed", async () => {
    const res = await req('POST', `/v1/departments/${DEPT}/check`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: false, latencyMs: expect.any(Number) });
    expect(res.body.detail).toMatch(/refused|127\.0\.0\.1:9/);
    expect((await req('POST', '/v1/departments/000.00.77.H63/check')).status).toBe(404);
  });

  it('masks secrets in answers and keeps the stored one when the mask is sent back', async () => {
    const got = await req('GET', `/v1/departments/${DEPT}`);
    expect(got.body.transport.auth).toEqual({ type: 'bearer', token: '********' });
    const { id: _id, version, updatedAt: _u, ...doc } = got.body;
    const saved = await req('PUT', `/v1/departments/${DEPT}`, doc);
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(version); // nothing changed: no new version
    const renamed = await req('PUT', `/v1/departments/${DEPT}`, { ...doc, name: 'Sở KH&ĐT' });
    expect(renamed.body.version).toBe(version + 1);
    const dry = await req('PUT', `/v1/departments/${DEPT}?dryRun=true`, { ...doc, name: 'Tên khác' });
    expect(dry.body).toMatchObject({ dryRun: true, created: false, changes: ['name'] });
    expect((await req('GET', `/v1/departments/${DEPT}`)).body).toMatchObject({ name: 'Sở KH&ĐT', version: version + 1 });
    const stored = await t.runtime.services.departments.get(DEPT);
    expect((stored.config.transport as unknown as { auth: { token: string } }).auth.token).toBe('dept-secret-token');
    const list = await req('GET', '/v1/departments');
    expect(JSON.stringify(list.body)).not.toContain('dept-secret-token');
  });

  it('stores Vietnamese text in NFC whatever form it was typed in', async () => {
    const dossier = withCode(base, 301);
    dossier.applicant.name = 'Nguyễn Thị Lan'.normalize('NFD');
    const res = await req('POST', '/v1/dossiers', dossier, center);
    expect(res.status).toBe(202);
    expect(res.body.applicant.name).toBe('Nguyễn Thị Lan'.normalize('NFC'));
    // The same dossier typed in NFC is the same content: 200, not 409.
    const again = await req('POST', '/v1/dossiers', { ...dossier, applicant: { ...dossier.applicant, name: 'Nguyễn Thị Lan'.normalize('NFC') } }, center);
    expect(again.status).toBe(200);
  });

  it('lists dossiers newest first with a cursor', async () => {
    for (const n of [302, 303, 304]) expect((await req('POST', '/v1/dossiers', withCode(base, n), center)).status).toBe(202);
    const first = await req('GET', '/v1/dossiers?limit=2', undefined, center);
    expect(first.body.items.map((d: { code: string }) => d.code.slice(-4))).toEqual(['0304', '0303']);
    const second = await req('GET', `/v1/dossiers?limit=2&cursor=${first.body.nextCursor}`, undefined, center);
    expect(second.body.items.map((d: { code: string }) => d.code.slice(-4))).toEqual(['0302', '0301']);
    expect((await req('GET', '/v1/dossiers?limit=0', undefined, center)).status).toBe(422);
    expect((await req('GET', '/v1/dossiers?status=processing', undefined, center)).body.items).toEqual([]);
  });

  it('lets the portal role read a status without personal data', async () => {
    const portal = await t.key('portal', 'dvcqg-reader');
    const res = await req('GET', `/v1/dossiers/${withCode(base, 302).code}`, undefined, portal);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'received', statusCode: 2 });
    expect(res.body.applicant).toBeUndefined();
  });

  it('serves the OpenAPI document generated from the schemas, and a readable reference', async () => {
    const doc = (await req('GET', '/openapi.json', undefined, null)).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/dossiers', '/v1/dossiers/{code}', '/v1/departments/{id}', '/v1/departments/{id}/events', '/v1/api-keys', '/v1/dossiers/{code}/retry']),
    );
    expect(doc.components.schemas.Dossier.properties.applicant).toBeDefined();
    // Also the paths outside /v1, without a key; every /v1 operation carries security, roles and its refusals.
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/soap/events']));
    expect(doc.paths['/healthz'].get.security).toBeUndefined();
    expect(doc.paths['/soap/events'].post.requestBody.content['text/xml']).toBeDefined();
    for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      if (!path.startsWith('/v1')) continue;
      for (const [method, op] of Object.entries(operations)) {
        expect(op.security, `${method} ${path}`).toEqual([{ apiKey: [] }]);
        expect(op.description, `${method} ${path}`).toMatch(/^\*\*Roles:\*\* /);
        expect(Object.keys(op.responses), `${method} ${path}`).toEqual(expect.arrayContaining(['401', '403']));
      }
    }
    expect(doc.components.securitySchemes.apiKey).toEqual({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/v1/dossiers/{code}/retry'].post.description).toContain('`admin`, `center`');
    expect(doc.paths['/v1/api-keys'].get.description).toContain('`admin`');
    const list = doc.paths['/v1/dossiers'].get;
    expect(list.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(['query:status', 'query:department', 'query:deliveryState', 'query:deadline', 'query:limit', 'query:cursor']);
    expect(list.parameters[2].schema.enum).toContain('failed');
    expect(doc.paths['/v1/dossiers/{code}'].get.parameters).toEqual([expect.objectContaining({ name: 'code', in: 'path', required: true })]);
    expect(doc.paths['/v1/dossiers'].post.responses['415'].description).toBe('send Content-Type: application/json');
    expect(doc.components.schemas.Dossier.example.code).toBe('000.00.00.H63-261128-0001');
    expect(doc.components.schemas.DossierResource.example.delivery.reference).toBe('SKHDT-261128-0001');
    const page = await req('GET', '/docs', undefined, null);
    expect(page.status).toBe(200);
    expect(page.type).toContain('text/html');
    expect(page.body).toContain('/docs/assets/swagger-ui-bundle.js');
    expect(page.body).not.toMatch(/https?:\/\/(?!localhost)[a-z]/i); // nothing from the internet
    const bundle = await t.runtime.gateway.request('/docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    expect((await t.runtime.gateway.request('/docs/assets/package.json')).status).toBe(404);
  });

  it('logs a request id and the dossier code, and never personal data', async () => {
    const dossier = withCode(base, 305);
    const accepted = await req('POST', '/v1/dossiers', dossier, center);
    const lines = logLines.join('');
    expect(lines).toContain(dossier.code);
    expect(lines).toMatch(/"requestId":"[0-9a-f-]{36}"/);
    // One line per accept: the access line says where the dossier went.
    const access = lines.split('\n').filter((l) => l.includes(`"dossierCode":"${dossier.code}"`)).map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'request' || l.msg === 'dossier accepted'); // not the worker's own lines
    expect(access).toMatchObject([
      { msg: 'request', method: 'POST', path: '/v1/dossiers', status: 202, department: (accepted.body as { department: string }).department, deliveryId: expect.any(Number), accepted: true },
    ]);
    for (const secret of [dossier.applicant.idNumber!, dossier.applicant.phone!, 'Tổ 5, phường Đồng Tâm', ADMIN_KEY, center]) {
      expect(lines).not.toContain(secret);
    }
  });
});
