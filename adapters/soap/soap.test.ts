import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MASK, maskSecrets } from '../../core/secrets.js';
import { adapterFactory } from '../index.js';
import { freePort } from '../../tests/helpers/server-process.js';
import { startSoapDepartment, type SoapDepartment } from '../../tests/helpers/soap-department.js';
import { landRegistryRegistration, rejection, soapAdapter, submitOf } from '../../tests/helpers/soap-registration.js';
import { soapAdapterFactory } from './index.js';

const CODE = '000.00.00.H63-261128-0002';
const dossier = { code: CODE };
const ACCOUNT = { username: 'lienthong', password: 'Mật&Khẩu<1>' };

describe('soap adapter on a land registry requiring WS-Security', () => {
  let dept: SoapDepartment;
  beforeAll(async () => {
    dept = await startSoapDepartment({ security: { type: 'username-token', ...ACCOUNT } });
  });
  afterEach(() => {
    dept.setReply(undefined);
    dept.received.length = 0;
  });
  afterAll(() => dept?.close());
  const adapter = (security: Record<string, unknown> = { type: 'username-token', ...ACCOUNT }, transport: Record<string, unknown> = {}) =>
    soapAdapter(landRegistryRegistration(dept.wsdlUrl, { security, ...transport })).adapter;

  it.each(['text', 'digest'] as const)('sends a UsernameToken with the password as %s, which the department accepts', async (passwordType) => {
    const answer = await adapter({ type: 'username-token', ...ACCOUNT, passwordType }).send(submitOf(dossier));
    expect(answer).toEqual({ answer: { NopHoSoResult: { maBienNhan: 'BN-0002', ngayHenTra: '12/12/2026' } }, status: 200 });
    const [call] = dept.received;
    expect(call?.args).toEqual({ maHoSo: CODE, thuTuc: '1.004227', nguoiNop: 'Trần Văn Hùng' });
    expect(call?.security.UsernameToken.Username).toBe('lienthong');
    expect(call?.security.UsernameToken.Password.attributes.Type).toMatch(passwordType === 'text' ? /#PasswordText$/ : /#PasswordDigest$/);
    expect(call?.body.includes('Mật&amp;Khẩu&lt;1&gt;')).toBe(passwordType === 'text');
    expect(call?.headers['idempotency-key']).toBe(`${CODE}:submit`);
    expect(call?.headers['x-dossier-code']).toBe(CODE);
    expect(call?.headers.soapaction).toBe('"urn:vpdkdd:hoso:v1/NopHoSo"');
  });

  it('fails permanently with the fault text when the password is wrong', async () => {
    for (const passwordType of ['text', 'digest']) {
      const err = await rejection(adapter({ type: 'username-token', username: 'lienthong', password: 'sai', passwordType }).send(submitOf(dossier)));
      expect(err.kind).toBe('permanent');
      expect(err.message).toBe('SOAP fault soap:Client "Xác thực không thành công: sai tên đăng nhập hoặc mật khẩu" from NopHoSo (http 500)');
    }
    const none = await rejection(adapter({ type: 'none' }).send(submitOf(dossier)));
    expect(none.kind).toBe('permanent');
  });

  it.each([
    ['client', 500, 'permanent', 'soap:Client'],
    ['client', 200, 'permanent', 'soap:Client'],
    ['client', 400, 'permanent', 'soap:Client'],
    ['server', 500, 'transient', 'soap:Server'],
    ['server', 200, 'transient', 'soap:Server'],
    ['server', 400, 'transient', 'soap:Server'],
  ] as const)('classifies a %s fault sent with HTTP %i as %s, by its faultcode', async (fault, status, kind, code) => {
    dept.setReply(() => ({ fault, message: fault === 'client' ? 'Thiếu mã hồ sơ' : 'Cơ sở dữ liệu đang bận', status }));
    const err = await rejection(adapter().send(submitOf(dossier)));
    expect(err.kind).toBe(kind);
    expect(err.message).toBe(`SOAP fault ${code} "${fault === 'client' ? 'Thiếu mã hồ sơ' : 'Cơ sở dữ liệu đang bận'}" from NopHoSo (http ${status})`);
    expect(err.detail).toMatchObject({ status, code: `SOAP_FAULT_${code.slice(5)}` });
  });

  it('classifies answers without a fault by HTTP status; redirects are not followed', async () => {
    const cases = [
      [{ raw: '<html><head><title>503 Service Unavailable</title></head></html>', status: 503, contentType: 'text/html' }, 'transient', /^HTTP 503 from NopHoSo at .* without a SOAP fault: an HTML page "503 Service Unavailable"$/],
      [{ raw: '', status: 502 }, 'transient', /^HTTP 502 .*: empty body$/],
      [{ raw: 'Not Found', status: 404, contentType: 'text/plain' }, 'permanent', /^HTTP 404 .*: Not Found$/],
      [{ raw: '', status: 302, headers: { location: 'http://elsewhere.test/ws' } }, 'permanent', /^HTTP 302 .*: redirect to http:\/\/elsewhere.test\/ws not followed/],
      [{ raw: '{"ok":true}', status: 200, contentType: 'application/json' }, 'permanent', /^not a SOAP answer from NopHoSo .*\(http 200\): \{"ok":true\}$/],
    ] as const;
    for (const [raw, kind, message] of cases) {
      dept.setReply(() => raw);
      const err = await rejection(adapter().send(submitOf(dossier)));
      expect([err.kind, err.message]).toEqual([kind, expect.stringMatching(message)]);
    }
  });

  it('loads the WSDL once per adapter, and again after a failed load', async () => {
    const a = adapter();
    const before = dept.wsdlRequests;
    await a.send(submitOf(dossier));
    await a.send(submitOf(dossier));
    expect(dept.wsdlRequests - before).toBe(1);
    const b = adapter();
    dept.setWsdl(() => ({ status: 503, body: 'bảo trì' }));
    const err = await rejection(b.send(submitOf(dossier)));
    expect(err.kind).toBe('transient');
    expect(err.message).toBe(`cannot load the WSDL ${dept.wsdlUrl}: HTTP 503: bảo trì`);
    dept.setWsdl(undefined);
    await b.send(submitOf(dossier));
    expect(dept.wsdlRequests - before).toBe(3);
  });

  it('prepares the envelope without sending, secrets masked', async () => {
    for (const passwordType of ['text', 'digest']) {
      const preview = await adapter({ type: 'username-token', ...ACCOUNT, passwordType }).prepare(submitOf(dossier));
      expect(preview).toMatchObject({ operation: 'NopHoSo', args: { maHoSo: CODE }, endpoint: dept.url, soapVersion: '1.1' });
      expect(preview.headers).toMatchObject({ SOAPAction: '"urn:vpdkdd:hoso:v1/NopHoSo"', 'Idempotency-Key': `${CODE}:submit`, 'X-Dossier-Code': CODE });
      expect(preview.envelope).toContain(`<wsse:Username>lienthong</wsse:Username>`);
      expect(preview.envelope).toMatch(new RegExp(`#Password${passwordType === 'text' ? 'Text' : 'Digest'}">\\*{8}</wsse:Password>`));
      expect(preview.envelope).toContain(`<NopHoSo xmlns="urn:vpdkdd:hoso:v1"><maHoSo>${CODE}</maHoSo>`);
      expect(preview.envelope).not.toContain('Khẩu');
    }
    const basic = await adapter({ type: 'basic', username: 'lt', password: 'bí mật' }).prepare(submitOf(dossier));
    expect(basic.headers.Authorization).toBe(MASK);
    expect(dept.received).toHaveLength(0);
  });

  it('prepares without throwing when the envelope cannot be built, saying why', async () => {
    const port = await freePort();
    const down = await adapter(undefined, { wsdl: `http://127.0.0.1:${port}/ws?wsdl` }).prepare(submitOf(dossier));
    expect(down).toMatchObject({ operation: 'NopHoSo', args: { maHoSo: CODE }, envelope: null, headers: { 'X-Dossier-Code': CODE } });
    expect(down.detail).toBe(`the envelope cannot be built: cannot load the WSDL http://127.0.0.1:${port}/ws?wsdl: connection refused (http://127.0.0.1:${port})`);
  });

  it('checks the WSDL, its operations and the service address', async () => {
    expect(await adapter().check()).toMatchObject({
      ok: true,
      detail: `WSDL loaded (SOAP 1.1, port HoSoSoap11Port, operations NopHoSo, TraCuuHoSo, RutHoSo); service address ${dept.url} answered HTTP 200`,
    });
    const typo = soapAdapter(landRegistryRegistration(dept.wsdlUrl, {}, { status: { operation: 'TraCuuHoSoo' } })).adapter;
    expect(await typo.check()).toMatchObject({ ok: false, detail: expect.stringMatching(/but it has no operation TraCuuHoSoo \(operations\.status\.operation\)$/) });
    const err = await rejection(typo.send({ ...submitOf(dossier), operation: 'status', reference: 'BN-0002' }));
    expect([err.kind, err.message]).toEqual(['permanent', 'the WSDL has no operation TraCuuHoSoo (it has: NopHoSo, TraCuuHoSo, RutHoSo): fix operations.status.operation']);
  });

  it('calls transport.endpoint instead of the WSDL address', async () => {
    const elsewhere = await startSoapDepartment();
    try {
      await adapter({ type: 'none' }, { wsdl: elsewhere.wsdlUrl, endpoint: dept.url }).send(submitOf(dossier)).catch(() => undefined);
      expect(elsewhere.received).toHaveLength(0);
      expect(dept.received).toHaveLength(1);
    } finally {
      await elsewhere.close();
    }
  });
});

describe('soap adapter, other departments', () => {
  it('speaks SOAP 1.2 to a SOAP 1.2 WSDL, classifying Sender and Receiver faults', async () => {
    const dept = await startSoapDepartment({ soapVersion: '1.2' });
    try {
      const { adapter } = soapAdapter(landRegistryRegistration(dept.wsdlUrl));
      expect((await adapter.send(submitOf(dossier))).answer).toEqual({ NopHoSoResult: { maBienNhan: 'BN-0002', ngayHenTra: '12/12/2026' } });
      expect(dept.received[0]?.headers['content-type']).toBe('application/soap+xml; charset=utf-8; action="urn:vpdkdd:hoso:v1/NopHoSo"');
      expect(dept.received[0]?.body).toContain('xmlns:soap="http://www.w3.org/2003/05/soap-envelope"');
      dept.setReply(() => ({ fault: 'client', message: 'Thiếu mã hồ sơ', status: 400 }));
      expect(await rejection(adapter.send(submitOf(dossier)))).toMatchObject({ kind: 'permanent', message: 'SOAP fault soap:Sender "Thiếu mã hồ sơ" from NopHoSo (http 400)' });
      dept.setReply(() => ({ fault: 'server', message: 'Cơ sở dữ liệu đang bận', status: 500 }));
      expect(await rejection(adapter.send(submitOf(dossier)))).toMatchObject({ kind: 'transient', message: 'SOAP fault soap:Receiver "Cơ sở dữ liệu đang bận" from NopHoSo (http 500)' });
      expect((await adapter.prepare(submitOf(dossier))).soapVersion).toBe('1.2');
    } finally {
      await dept.close();
    }
  });

  it('authenticates with HTTP basic', async () => {
    const dept = await startSoapDepartment({ security: { type: 'basic', username: 'vpdk', password: 'mật khẩu' } });
    try {
      const ok = soapAdapter(landRegistryRegistration(dept.wsdlUrl, { security: { type: 'basic', username: 'vpdk', password: 'mật khẩu' } })).adapter;
      expect((await ok.send(submitOf(dossier))).status).toBe(200);
      expect(dept.received[0]?.headers.authorization).toBe(`Basic ${Buffer.from('vpdk:mật khẩu').toString('base64')}`);
      const wrong = soapAdapter(landRegistryRegistration(dept.wsdlUrl, { security: { type: 'basic', username: 'vpdk', password: 'sai' } })).adapter;
      expect((await rejection(wrong.send(submitOf(dossier)))).kind).toBe('permanent');
    } finally {
      await dept.close();
    }
  });

  it('is registered as "soap" and masks its secrets', () => {
    expect(adapterFactory('soap')).toBe(soapAdapterFactory);
    const doc = landRegistryRegistration('http://x.test/ws?wsdl', {
      security: { type: 'username-token', username: 'u', password: 'p' },
      tls: { cert: 'C', key: 'K', passphrase: 'P' },
    });
    const masked = maskSecrets(doc, soapAdapterFactory.secretPaths);
    expect(masked.transport).toMatchObject({ security: { username: 'u', password: MASK }, tls: { cert: 'C', key: MASK, passphrase: MASK } });
  });
});
