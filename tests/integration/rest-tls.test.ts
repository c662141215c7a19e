import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDepartmentServer, type DepartmentServer } from '../helpers/department-server.js';
import { fixture, withCode } from '../helpers/fixtures.js';
import { eventually, restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { makeCertificates, type TestCertificates } from '../helpers/soap-certs.js';

/** A REST department requiring a client certificate, registered through the API: checked when saved, masked, delivered to. */
describe('rest department with mutual TLS, through the API', () => {
  const DEPT = '000.00.15.H63';
  let t: TestRuntime;
  let pki: TestCertificates;
  let department: DepartmentServer;
  const base = fixture('business-registration');
  const config = (tls: Record<string, unknown>) => {
    const c = restDepartment(department.url, [base.procedure.code]);
    return { ...c, transport: { ...c.transport, tls } };
  };

  beforeAll(async () => {
    pki = makeCertificates();
    department = await startDepartmentServer(() => ({ status: 201, body: { id: 'SKH-MTLS' } }), { tls: { ...pki.server, ca: pki.ca } });
    t = await startTestRuntime();
  });
  afterAll(async () => {
    await t?.stop();
    await department?.close();
  });

  it('refuses bad PEM with 422 naming the field, saves a good certificate with its key masked, and delivers with it', async () => {
    const bad = await t.api('PUT', `/v1/departments/${DEPT}`, config({ cert: 'not a certificate', key: pki.client.key, ca: pki.ca }));
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors).toEqual([{ path: 'transport.tls.cert', message: expect.stringContaining('PEM') }]);
    const wrong = await t.api('PUT', `/v1/departments/${DEPT}`, config({ cert: pki.client.cert, key: pki.encryptedKey, passphrase: 'sai', ca: pki.ca }));
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors.map((e: { path: string }) => e.path)).toEqual(['transport.tls.key']);

    const put = await t.api('PUT', `/v1/departments/${DEPT}`, config({ cert: pki.client.cert, key: pki.encryptedKey, passphrase: pki.passphrase, ca: pki.ca }));
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    expect(put.body.transport.tls).toEqual({ cert: pki.client.cert, key: '********', passphrase: '********', ca: pki.ca });
    expect(JSON.stringify((await t.api('GET', `/v1/departments/${DEPT}`)).body)).not.toContain(pki.passphrase);
    await t.runtime.refreshDepartments();

    const dossier = withCode(base, 601);
    expect((await t.api('POST', '/v1/dossiers', dossier)).status).toBe(202);
    const done = await eventually(async () => {
      const r = (await t.api('GET', `/v1/dossiers/${dossier.code}`)).body;
      return r.delivery.state === 'delivered' && r;
    });
    expect(done.delivery.reference).toBe('SKH-MTLS');
    expect(department.received.map((r) => [r.headers['x-dossier-code'], r.clientCertificate])).toEqual([[dossier.code, 'lienthong']]);
  });
});
