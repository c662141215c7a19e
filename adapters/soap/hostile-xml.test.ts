import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../tests/helpers/server-process.js';
import { landRegistryWsdl, startSoapDepartment, type SoapDepartment } from '../../tests/helpers/soap-department.js';
import { landRegistryRegistration, rejection, soapAdapter, submitOf } from '../../tests/helpers/soap-registration.js';

const dossier = { code: '000.00.00.H63-261128-0002' };
const ENVELOPE = (body: string) => `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${body}</soap:Body></soap:Envelope>`;
const ANSWER = (inner: string) => ENVELOPE(`<NopHoSoResponse xmlns="urn:vpdkdd:hoso:v1"><NopHoSoResult>${inner}</NopHoSoResult></NopHoSoResponse>`);
const LOL = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, n) => `<!ENTITY lol${n + 1} "${`&lol${n || ''};`.repeat(10)}">`)].join('');
const BILLION_LAUGHS = `<?xml version="1.0"?><!DOCTYPE lolz [${LOL}]>${ANSWER('<maBienNhan>&lol9;</maBienNhan>')}`;
const XXE = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${ANSWER('<maBienNhan>&xxe;</maBienNhan>')}`;

/** Refused before parsing it (not left to run into the timeout), without the answer's content leaking into the message. */
async function refusedQuickly(promise: Promise<unknown>, message: RegExp) {
  const err = await rejection(promise);
  expect(['XML_DTD', 'MALFORMED_XML', 'ANSWER_TOO_LARGE']).toContain(err.detail.code);
  expect(err.kind).toBe('permanent');
  expect(err.message).toMatch(message);
  expect(err.message).not.toMatch(/lollol|root:/);
  return err;
}

describe('hostile or broken answers', () => {
  let dept: SoapDepartment;
  beforeAll(async () => {
    dept = await startSoapDepartment();
  });
  afterAll(() => dept?.close());
  const send = () => soapAdapter(landRegistryRegistration(dept.wsdlUrl)).adapter.send(submitOf(dossier));

  it.each([
    ['entity expansion (billion laughs)', BILLION_LAUGHS],
    ['an external entity (XXE)', XXE],
    ['a DTD inside the envelope', ANSWER('<!DOCTYPE x><maBienNhan>BN</maBienNhan>')],
  ])('refuses %s by name, expanding nothing', async (_what, raw) => {
    dept.setReply(() => ({ raw }));
    await refusedQuickly(send(), /^the answer of NopHoSo at http:\/\/127\.0\.0\.1:\d+\/ws\/hoso is refused: it contains a DTD \(<!DOCTYPE> or <!ENTITY>\), which SOAP forbids/);
  });

  it('refuses malformed markup, quoting the parser', async () => {
    dept.setReply(() => ({ raw: ANSWER('<maBienNhan>BN-1</NopHoSoResult>') }));
    await refusedQuickly(send(), /^malformed XML in the answer to NopHoSo at .*: Unexpected close tag/);
    dept.setReply(() => ({ raw: ANSWER('<maBienNhan>BN-1</maBienNhan>').slice(0, -30) }));
    await refusedQuickly(send(), /^malformed XML in the answer to NopHoSo/);
  });

  it('refuses elements nested too deep or too many, before parsing', async () => {
    dept.setReply(() => ({ raw: ANSWER(`<maBienNhan>${'<a>'.repeat(300_000)}x${'</a>'.repeat(300_000)}</maBienNhan>`) }));
    await refusedQuickly(send(), /is refused: its elements nest deeper than 256 levels$/);
    dept.setReply(() => ({ raw: ANSWER(`<maBienNhan>BN</maBienNhan>${'<a/>'.repeat(250_000)}`) }));
    await refusedQuickly(send(), /is refused: it has more than 200000 elements$/);
  });

  it('refuses an answer over 10 MB, also when compressed, and a huge 503 stays transient', async () => {
    const huge = ANSWER(`<maBienNhan>${'x'.repeat(11 * 1024 * 1024)}</maBienNhan>`);
    dept.setReply(() => ({ raw: huge }));
    await refusedQuickly(send(), /^answer too large \(over 10485760 bytes\) from NopHoSo at /);
    dept.setReply(() => ({ raw: gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)), headers: { 'content-encoding': 'gzip' } }));
    await refusedQuickly(send(), /^answer too large \(over 10485760 bytes\)/);
    dept.setReply(() => ({ raw: huge, status: 503, contentType: 'text/html' }));
    expect(await rejection(send())).toMatchObject({ kind: 'transient', message: expect.stringMatching(/^HTTP 503 .* without a SOAP fault: answer too large to read$/) });
  });
});

describe('a streamed answer without length', () => {
  let server: Server;
  let chunks = 0;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.method === 'GET') return res.end(landRegistryWsdl('1.1', url));
      req.resume();
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.write('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><x>');
      const megabyte = 'y'.repeat(1024 * 1024);
      const pump = () => {
        if (res.destroyed || ++chunks > 40) return res.end();
        res.write(megabyte, () => setImmediate(pump));
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ws/hoso`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is cut off at the cap, not read to the end', async () => {
    const { adapter } = soapAdapter(landRegistryRegistration(`${url}?wsdl`));
    await refusedQuickly(adapter.send(submitOf(dossier)), /^answer too large \(over 10485760 bytes\)/);
    expect(chunks).toBeLessThan(30);
  });
});

describe('WSDLs that cannot be loaded: check() says why', () => {
  let dept: SoapDepartment;
  let dir: string;
  beforeAll(async () => {
    dept = await startSoapDepartment();
    dir = await mkdtemp(path.join(tmpdir(), 'lienthong-wsdl-'));
  });
  afterAll(async () => {
    await dept?.close();
    await rm(dir, { recursive: true, force: true });
  });
  const check = (wsdl = dept.wsdlUrl, transport: Record<string, unknown> = {}) => soapAdapter(landRegistryRegistration(wsdl, transport)).adapter.check();

  it.each([
    ['404', { status: 404, body: 'Not Found' }, 'HTTP 404: Not Found'],
    ['a login page', { status: 200, body: '<html><head><title>Đăng nhập hệ thống</title></head></html>', contentType: 'text/html' }, /not a WSDL: .* answered an HTML page "Đăng nhập hệ thống" \(a login or error page\?\)$/],
    ['XML that is no WSDL', { status: 200, body: '<?xml version="1.0"?><ketQua>OK</ketQua>' }, 'Unexpected root element of WSDL or include'],
    ['text', { status: 200, body: 'đây không phải XML' }, 'Text data outside of root node'],
    ['entity expansion', { status: 200, body: `<?xml version="1.0"?><!DOCTYPE lolz [${LOL}]><definitions>&lol9;</definitions>` }, 'it contains a DTD'],
    ['deep nesting', { status: 200, body: `<definitions>${'<a>'.repeat(1000)}</definitions>` }, 'its elements nest deeper than 256 levels'],
  ] as const)('WSDL answer: %s', async (_what, answer, why) => {
    dept.setWsdl(() => answer);
    const result = await check();
    dept.setWsdl(undefined);
    expect(result.ok).toBe(false);
    expect(result.detail.startsWith(`cannot load the WSDL ${dept.wsdlUrl}: `)).toBe(true);
    expect(result.detail).toMatch(typeof why === 'string' ? new RegExp(why.replace(/[()?]/g, '\\$&')) : why);
  });

  it('says so when nothing answers, or too slowly', async () => {
    const port = await freePort();
    expect((await check(`http://127.0.0.1:${port}/ws?wsdl`)).detail).toBe(`cannot load the WSDL http://127.0.0.1:${port}/ws?wsdl: connection refused (http://127.0.0.1:${port})`);
    dept.setWsdl(() => ({ status: 200, body: landRegistryWsdl('1.1', dept.url), delayMs: 2000 }));
    const slow = await check(dept.wsdlUrl, { timeoutMs: 300 });
    dept.setWsdl(undefined);
    expect(slow).toMatchObject({ ok: false, detail: `cannot load the WSDL ${dept.wsdlUrl}: timeout after 300 ms (GET ${dept.wsdlUrl})` });
  });

  it('loads a WSDL file, refusing a missing one and one with a DTD', async () => {
    const good = path.join(dir, 'land-registry.wsdl');
    await writeFile(good, landRegistryWsdl('1.1', dept.url));
    expect(await check(good)).toMatchObject({ ok: true });
    const { adapter } = soapAdapter(landRegistryRegistration(good));
    expect((await adapter.send(submitOf(dossier))).answer).toMatchObject({ NopHoSoResult: { maBienNhan: 'BN-0002' } });
    expect((await check(path.join(dir, 'missing.wsdl'))).detail).toBe(`cannot load the WSDL ${path.join(dir, 'missing.wsdl')}: the file cannot be read (ENOENT)`);
    const hostile = path.join(dir, 'hostile.wsdl');
    await writeFile(hostile, `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><definitions>&x;</definitions>`);
    expect((await check(hostile)).detail).toMatch(/^cannot load the WSDL .*hostile\.wsdl: it contains a DTD/);
  });
});
