import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zodIssues } from '../../core/errors.js';
import { makeCertificates, type TestCertificates } from '../../tests/helpers/soap-certs.js';
import { startSoapDepartment, type SoapDepartment } from '../../tests/helpers/soap-department.js';
import { landRegistryRegistration, rejection, soapAdapter, submitOf } from '../../tests/helpers/soap-registration.js';
import { soapDepartmentSchema } from './config.js';

/** A department requiring a client certificate (mutual TLS), WSDL and calls alike. */
describe('soap adapter with mutual TLS', () => {
  let pki: TestCertificates;
  let dept: SoapDepartment;
  beforeAll(async () => {
    pki = makeCertificates();
    dept = await startSoapDepartment({ tls: { ...pki.server, ca: pki.ca } });
  });
  afterAll(() => dept?.close());
  const adapter = (tls: Record<string, unknown>) => soapAdapter(landRegistryRegistration(dept.wsdlUrl, { tls, timeoutMs: 3000 })).adapter;

  it('loads the WSDL and calls with the client certificate, its key encrypted or not', async () => {
    for (const tls of [{ ...pki.client, ca: pki.ca }, { cert: pki.client.cert, key: pki.encryptedKey, passphrase: pki.passphrase, ca: pki.ca }]) {
      const a = adapter(tls);
      expect((await a.send(submitOf({ code: '000.00.00.H63-261128-0002' }))).answer).toMatchObject({ NopHoSoResult: { maBienNhan: 'BN-0002' } });
      expect(await a.check()).toMatchObject({ ok: true, detail: expect.stringContaining(`service address ${dept.url} answered HTTP 200`) });
      await a.close();
    }
    expect(dept.url.startsWith('https://')).toBe(true);
  });

  it('is refused with a certificate the department did not issue, saying it is a TLS failure', async () => {
    const rogue = adapter({ ...pki.rogue, ca: pki.ca });
    const err = await rejection(rogue.send(submitOf({ code: '000.00.00.H63-261128-0002' })));
    expect(err.kind).toBe('transient');
    expect(err.message).toMatch(/^cannot load the WSDL https:\/\/127\.0\.0\.1:\d+\/ws\/hoso\?wsdl: (TLS error|connection reset|network error)/);
    expect((await rogue.check()).ok).toBe(false);
  });

  it('refuses, when saved, a key that does not open or does not match', () => {
    const issues = (tls: Record<string, unknown>) => {
      const parsed = soapDepartmentSchema.safeParse({ transport: { type: 'soap', wsdl: 'https://10.0.5.21/ws?wsdl', tls }, operations: { submit: { operation: 'NopHoSo' } } });
      return parsed.success ? [] : zodIssues(parsed.error.issues);
    };
    expect(issues({ ...pki.client, ca: pki.ca })).toEqual([]);
    expect(issues({ cert: pki.client.cert, key: pki.encryptedKey, passphrase: 'sai' })).toEqual([{ path: 'transport.tls.key', message: expect.stringMatching(/^cannot be used with this certificate and passphrase/) }]);
    expect(issues({ cert: pki.client.cert, key: pki.rogue.key })).toEqual([{ path: 'transport.tls.key', message: expect.stringMatching(/^cannot be used/) }]);
  });
});
