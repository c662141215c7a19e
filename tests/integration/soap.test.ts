import { randomBytes } from 'node:crypto';
import { createClientAsync, WSSecurity } from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256, startFileServer } from '../helpers/file-server.js';
import { fixture, fixtures, withCode } from '../helpers/fixtures.js';
import { eventually, restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { freePort } from '../helpers/server-process.js';
import { startSoapDepartment, type SoapDepartment } from '../helpers/soap-department.js';
import { landRegistryRegistration } from '../helpers/soap-registration.js';

/** A SOAP department end to end: delivery, polling, faults, and events pushed back over SOAP. */
describe('soap department, in process on real Redis and PGlite', () => {
  const DEPT = '000.00.21.H63';
  const OTHER = '000.00.15.H63';
  let t: TestRuntime;
  let dept: SoapDepartment;
  const all = Object.values(fixtures());
  const get = async (code: string) => (await t.api('GET', `/v1/dossiers/${code}`)).body;

  beforeAll(async () => {
    dept = await startSoapDepartment();
    t = await startTestRuntime();
    const registration = landRegistryRegistration(dept.wsdlUrl, {}, {}, all.map((d) => d.procedure.code));
    (registration.operations.status as Record<string, unknown>).everyMs = 1000;
    expect((await t.api('PUT', `/v1/departments/${DEPT}`, registration)).status).toBe(201);
    expect((await t.api('PUT', `/v1/departments/${OTHER}`, restDepartment('http://127.0.0.1:9', ['1.000001']))).status).toBe(201);
    await t.runtime.refreshDepartments();
  });
  afterAll(async () => {
    await t?.stop();
    await dept?.close();
  });

  it('checks the department through the API, and says why when its WSDL cannot be loaded', async () => {
    expect((await t.api('POST', `/v1/departments/${DEPT}/check`)).body).toMatchObject({ ok: true, detail: expect.stringMatching(/^WSDL loaded \(SOAP 1\.1/) });
    const port = await freePort();
    await t.api('PUT', '/v1/departments/000.00.99.H63', landRegistryRegistration(`http://127.0.0.1:${port}/ws?wsdl`));
    expect((await t.api('POST', '/v1/departments/000.00.99.H63/check')).body).toMatchObject({
      ok: false,
      detail: `cannot load the WSDL http://127.0.0.1:${port}/ws?wsdl: connection refused (http://127.0.0.1:${port})`,
    });
  });

  it('delivers the sample dossiers, and its status answers move them along', async () => {
    for (const dossier of all) expect((await t.api('POST', '/v1/dossiers', dossier)).status).toBe(202);
    for (const dossier of all) {
      const d = await eventually(async () => ((await get(dossier.code)).delivery.state === 'delivered' ? get(dossier.code) : undefined));
      expect(d).toMatchObject({ status: 'processing', delivery: { attempts: 1, reference: `BN-${dossier.code.slice(-4)}` } });
      const calls = dept.received.filter((r) => r.operation === 'NopHoSo' && r.args.maHoSo === dossier.code);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.headers).toMatchObject({ 'idempotency-key': `${dossier.code}:submit`, 'x-dossier-code': dossier.code });
      expect(calls[0]?.args).toMatchObject({ thuTuc: dossier.procedure.code, nguoiNop: dossier.applicant.name });
    }
    const land = fixture('land-certificate');
    await eventually(() => dept.received.some((r) => r.operation === 'TraCuuHoSo' && r.args.maBienNhan === 'BN-0002'), 10_000);
    dept.states.set('BN-0002', { trangThai: 'DA_XU_LY', ghiChu: 'Đã cấp giấy chứng nhận' });
    const resolved = await eventually(async () => ((await get(land.code)).status === 'resolved' ? get(land.code) : undefined), 10_000);
    expect(resolved.events.at(-1)).toMatchObject({ type: 'status_changed', status: 'resolved', actor: `department:${DEPT}:poll`, note: 'Đã cấp giấy chứng nhận' });
    const poll = dept.received.find((r) => r.operation === 'TraCuuHoSo' && r.args.maBienNhan === 'BN-0002');
    expect(poll?.headers['x-dossier-code']).toBe(land.code);
  });

  it('fails at once on a Client fault, with the fault in lastError; retries a Server fault', async () => {
    const refused = withCode(fixture('land-certificate'), 501);
    const busy = withCode(fixture('land-certificate'), 502);
    let busyCalls = 0;
    dept.setReply((r) => {
      if (r.operation !== 'NopHoSo') return undefined;
      if (r.args.maHoSo === refused.code) return { fault: 'client', message: 'Số thửa không tồn tại trong cơ sở dữ liệu' };
      if (r.args.maHoSo === busy.code && ++busyCalls <= 2) return { fault: 'server', message: 'Cơ sở dữ liệu đang bận', status: 503 };
      return undefined;
    });
    for (const d of [refused, busy]) expect((await t.api('POST', '/v1/dossiers', d)).status).toBe(202);

    const failed = await eventually(async () => ((await get(refused.code)).delivery.state === 'failed' ? get(refused.code) : undefined));
    const fault = 'SOAP fault soap:Client "Số thửa không tồn tại trong cơ sở dữ liệu" from NopHoSo (http 500)';
    expect(failed.delivery).toMatchObject({ attempts: 1, lastError: `permanent: ${fault}` });
    expect(failed.events.at(-1)).toMatchObject({ type: 'delivery_failed', note: fault, detail: { kind: 'permanent', final: true } });

    const delivered = await eventually(async () => ((await get(busy.code)).delivery.state === 'delivered' ? get(busy.code) : undefined));
    expect(delivered.delivery).toMatchObject({ attempts: 3, reference: 'BN-0502' });
    const attempts = delivered.events.filter((e: { type: string }) => e.type === 'delivery_attempt_failed');
    expect(attempts.map((e: { note: string }) => e.note)).toEqual(Array(2).fill('SOAP fault soap:Server "Cơ sở dữ liệu đang bận" from NopHoSo (http 503)'));
    expect(dept.received.filter((r) => r.args.maHoSo === refused.code)).toHaveLength(1);
    dept.setReply(undefined);
  });

  it('sends documents inside the message as base64 when the department asks, fetched by lienthong from their url', async () => {
    const files = { 'a1.pdf': randomBytes(50_000), 'a2.pdf': randomBytes(20_000) };
    const server = await startFileServer(files);
    try {
      const DOCS = '000.00.22.H63';
      const registration = landRegistryRegistration(dept.wsdlUrl, {}, {
        submit: {
          operation: 'NopHoSo',
          documents: 'base64',
          request: '{"maHoSo": dossier.code, "thuTuc": dossier.procedure.code, "nguoiNop": dossier.applicant.name, "giayTo": [documents.{"ten": name, "noiDung": content}]}',
          reference: 'NopHoSoResult.maBienNhan',
        },
      });
      expect((await t.api('PUT', `/v1/departments/${DOCS}`, registration)).status).toBe(201);
      await t.runtime.refreshDepartments();
      const dossier = withCode(fixture('land-certificate'), 601);
      dossier.department = DOCS;
      dossier.documents = dossier.documents.map((d) => ({ ...d, url: server.url(`${d.id}.pdf`), sha256: sha256(files[`${d.id}.pdf` as 'a1.pdf']) }));
      expect((await t.api('POST', '/v1/dossiers', dossier)).status).toBe(202);
      await eventually(async () => (await get(dossier.code)).delivery.state === 'delivered');
      const giayTo = dept.received.find((r) => r.args.maHoSo === dossier.code)?.args.giayTo as Array<{ ten: string; noiDung: string }>;
      expect(giayTo.map((g) => Buffer.from(g.noiDung, 'base64').equals(files[`a${giayTo.indexOf(g) + 1}.pdf` as 'a1.pdf']))).toEqual([true, true]);
      expect(giayTo.map((g) => g.ten)).toEqual(dossier.documents.map((d) => d.name));
    } finally {
      await server.close();
    }
  });

  describe('inbound PostEvent', () => {
    const code = fixture('business-registration').code;
    let key: string;
    let otherKey: string;
    const client = async (username: string, password: string, soap12 = false) => {
      const c = await createClientAsync(`${t.base}/soap/events?wsdl`, { disableCache: true, ...(soap12 ? { forceSoap12Headers: true } : {}) });
      c.setSecurity(new WSSecurity(username, password));
      return c;
    };
    beforeAll(async () => {
      key = await t.key('department', 'vpdk-soap', DEPT);
      otherKey = await t.key('department', 'skhdt', OTHER);
      await eventually(async () => (await get(code)).status === 'processing');
    });

    it('serves a WSDL addressed as the caller reached us', async () => {
      const res = await fetch(`${t.base}/soap/events?wsdl`, { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'lienthong.laocai.gov.vn' } });
      expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
      expect(await res.text()).toContain('<soap:address location="https://lienthong.laocai.gov.vn/soap/events"/>');
    });

    it('applies an event posted by a soap client, through statusMap, onto the timeline', async () => {
      const c = await client(DEPT, key);
      const [answer] = await c.PostEventAsync({ departmentId: DEPT, dossierCode: code, status: 'YEU_CAU_BO_SUNG', note: 'Bổ sung bản đồ địa chính', occurredAt: '2026-11-29T08:00:00+07:00' });
      expect(answer).toEqual({ dossierCode: code, status: 'supplement_requested', statusCode: 5, applied: true });
      const d = await get(code);
      expect(d.status).toBe('supplement_requested');
      expect(d.events.at(-1)).toMatchObject({ type: 'status_changed', status: 'supplement_requested', actor: `department:${DEPT}`, note: 'Bổ sung bản đồ địa chính' });
      const [byReference] = await (await client(DEPT, key, true)).PostEventAsync({ departmentId: DEPT, reference: 'BN-0001', status: 'returned' });
      expect(byReference).toMatchObject({ dossierCode: code, status: 'supplement_requested', applied: false, reason: 'a dossier cannot move from supplement_requested to returned' });
    });

    it('refuses a wrong key, and another department’s dossier, with Client faults', async () => {
      const refusal = async (promise: Promise<unknown>) => {
        const err = (await promise.then(() => undefined, (e: unknown) => e)) as { root?: any; response?: { status: number } };
        return { status: err?.response?.status, fault: err?.root?.Envelope?.Body?.Fault };
      };
      const wrong = await refusal((await client(DEPT, 'lt_wrong-key')).PostEventAsync({ departmentId: DEPT, dossierCode: code, status: 'processing' }));
      expect(wrong).toMatchObject({ status: 500, fault: { faultcode: 'soap:Client', faultstring: expect.stringMatching(/^authentication failed/) } });
      const borrowed = await refusal((await client(OTHER, key)).PostEventAsync({ departmentId: OTHER, dossierCode: code, status: 'processing' }));
      expect(borrowed.fault.faultstring).toMatch(/^authentication failed/);
      const foreign = await refusal((await client(OTHER, otherKey)).PostEventAsync({ departmentId: OTHER, dossierCode: code, status: 'processing' }));
      expect(foreign).toMatchObject({ status: 500, fault: { faultcode: 'soap:Client', faultstring: 'dossier not found' } });
      expect((await get(code)).status).toBe('supplement_requested');
    });

    it('refuses hostile, malformed or oversized envelopes with faults, never expanding entities', async () => {
      const post = (body: string, type = 'text/xml; charset=utf-8') => fetch(`${t.base}/soap/events`, { method: 'POST', headers: { 'content-type': type }, body });
      const lol = `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><PostEvent><note>&b;</note></PostEvent></soap:Body></soap:Envelope>`;
      const dtd = await post(lol);
      expect(dtd.status).toBe(500);
      expect(await dtd.text()).toContain('<faultcode>soap:Client</faultcode><faultstring>a DTD (&#60;!DOCTYPE&#62;/&#60;!ENTITY&#62;) is not allowed in a SOAP message</faultstring>');
      const broken = await post('<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><PostEvent></env:Body>', 'application/soap+xml');
      expect(broken.status).toBe(400);
      expect(broken.headers.get('content-type')).toBe('application/soap+xml; charset=utf-8');
      expect(await broken.text()).toMatch(/<soap:Value>soap:Sender<\/soap:Value><\/soap:Code><soap:Reason><soap:Text xml:lang="en">malformed XML/);
      const huge = await post(`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${'x'.repeat(6 * 1024 * 1024)}</soap:Body></soap:Envelope>`);
      expect(huge.status).toBe(413);
      expect((await get(code)).status).toBe('supplement_requested');
    });

    it('takes a hand-written SOAP 1.1 envelope (the README example)', async () => {
      const body = `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ev="urn:lienthong:events:v1">
  <soap:Header>
    <wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">
      <wsse:UsernameToken>
        <wsse:Username>${DEPT}</wsse:Username>
        <wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">${key}</wsse:Password>
      </wsse:UsernameToken>
    </wsse:Security>
  </soap:Header>
  <soap:Body>
    <ev:PostEvent>
      <ev:departmentId>${DEPT}</ev:departmentId>
      <ev:dossierCode>${code}</ev:dossierCode>
      <ev:status>DANG_XU_LY</ev:status>
      <ev:note>Đã nhận bản đồ &amp; trích lục</ev:note>
      <ev:occurredAt>2026-11-30T09:00:00+07:00</ev:occurredAt>
    </ev:PostEvent>
  </soap:Body>
</soap:Envelope>`;
      const res = await fetch(`${t.base}/soap/events`, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"urn:lienthong:events:v1/PostEvent"' }, body });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<status>processing</status><statusCode>4</statusCode><applied>true</applied>');
      const events = (await get(code)).events;
      expect(events.find((e: { note?: string }) => e.note === "Đã nhận bản đồ & trích lục"), JSON.stringify(events.slice(-3))).toMatchObject({ status: "processing" });
    });
  });
});
