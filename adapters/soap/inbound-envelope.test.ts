import { describe, expect, it } from 'vitest';
import { faultEnvelope, readEnvelope, SoapFaultError } from './inbound-envelope.js';

const wrap = (body: string, header = '', ns = 'http://schemas.xmlsoap.org/soap/envelope/') => `<s:Envelope xmlns:s="${ns}"><s:Header>${header}</s:Header><s:Body>${body}</s:Body></s:Envelope>`;
const token = (password: string, type = 'PasswordText') =>
  `<o:Security xmlns:o="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><o:UsernameToken><o:Username>000.00.21.H63</o:Username><o:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#${type}">${password}</o:Password></o:UsernameToken></o:Security>`;
const refused = (text: string) => {
  try {
    readEnvelope(text);
  } catch (err) {
    if (err instanceof SoapFaultError) return [err.kind, err.message];
    throw err;
  }
  throw new Error('not refused');
};

describe('readEnvelope', () => {
  it('reads the operation, its fields (entities decoded, NFC) and the UsernameToken, in either version', () => {
    const read = readEnvelope(wrap(`<e:PostEvent xmlns:e="urn:lienthong:events:v1"><e:status>DA_XU_LY</e:status><e:note>Tr&#7847;n &amp; Nguye\u0302\u0303n &lt;3</e:note><e:reference><![CDATA[<BN-1>]]></e:reference></e:PostEvent>`, token('lt_k&amp;ey')));
    expect(read).toEqual({
      version: '1.1',
      operation: 'PostEvent',
      fields: { status: 'DA_XU_LY', note: 'Trần & Nguyễn <3', reference: '<BN-1>' },
      token: { username: '000.00.21.H63', password: 'lt_k&ey', passwordType: 'PasswordText' },
    });
    expect(readEnvelope(wrap('<PostEvent/>', token('x', 'PasswordDigest'), 'http://www.w3.org/2003/05/soap-envelope'))).toMatchObject({ version: '1.2', token: { passwordType: 'PasswordDigest' } });
  });

  it('refuses DTDs, malformed markup, deep nesting and foreign envelopes, expanding nothing', () => {
    expect(refused(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${wrap('<PostEvent><note>&e;</note></PostEvent>')}`)).toEqual(['client', 'a DTD (<!DOCTYPE>/<!ENTITY>) is not allowed in a SOAP message']);
    expect(refused(wrap('<PostEvent><note></PostEvent>'))[1]).toMatch(/^malformed XML/);
    expect(refused(wrap(`${'<a>'.repeat(100)}${'</a>'.repeat(100)}`))[1]).toMatch(/^malformed XML/);
    expect(refused('<Envelope xmlns="urn:other"><Body/></Envelope>')).toEqual(['version', 'the envelope namespace is neither SOAP 1.1 nor SOAP 1.2']);
    expect(refused('<PostEvent/>')).toEqual(['client', 'not a SOAP envelope']);
    expect(readEnvelope(wrap('<PostEvent><note>&undeclared;</note></PostEvent>')).fields.note).toBe('&undeclared;');
  });
});

describe('faultEnvelope', () => {
  it('writes 1.1 and 1.2 faults, escaped', () => {
    expect(faultEnvelope('1.1', 'client', 'a < b')).toContain('<faultcode>soap:Client</faultcode><faultstring>a &#60; b</faultstring>');
    expect(faultEnvelope('1.2', 'server', 'x')).toContain('<soap:Code><soap:Value>soap:Receiver</soap:Value></soap:Code>');
  });
});
