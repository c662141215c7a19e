import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../core/errors.js';
import { classifySoapError, faultKind, faultOf } from './classify.js';
import { hasDtd, isEnvelope, measure } from './xml-guard.js';

const site = { operation: 'NopHoSo', url: 'http://10.0.5.21:9102/ws', timeoutMs: 10000 };
const withFault = (Fault: unknown, status = 500) => Object.assign(new Error('x'), { root: { Envelope: { Body: { Fault } } }, response: { status } });

describe('faultKind', () => {
  it('reads only the local part of the code', () => {
    for (const code of ['Client', 'soap:Client', 'SOAP-ENV:Client.Authentication', 'env:Sender', 'soap:VersionMismatch', 's:MustUnderstand']) expect(faultKind(code)).toBe('permanent');
    for (const code of ['Server', 'soap:Server', 'soap:Server.Busy', 'env:Receiver', 'soap:Whatever', 'ClientX', '']) expect(faultKind(code)).toBe('transient');
  });
});

describe('faultOf', () => {
  it('reads SOAP 1.1 and 1.2 faults, with attributes or several texts', () => {
    expect(faultOf(withFault({ faultcode: 'soap:Client', faultstring: 'Thiếu mã hồ sơ' }))).toEqual({ code: 'soap:Client', reason: 'Thiếu mã hồ sơ' });
    expect(faultOf(withFault({ Code: { Value: 'env:Sender', Subcode: { Value: 'm:SaiDuLieu' } }, Reason: { Text: [{ $value: 'Sai dữ liệu', attributes: { 'xml:lang': 'vi' } }, 'Bad data'] } }))).toEqual({
      code: 'env:Sender',
      subcode: 'm:SaiDuLieu',
      reason: 'Sai dữ liệu',
    });
    expect(faultOf(new Error('plain'))).toBeUndefined();
  });
});

describe('classifySoapError', () => {
  it('words a fault for an operator, classified by its code whatever the HTTP status', () => {
    const client = classifySoapError(withFault({ faultcode: 'soap:Client', faultstring: 'Thiếu mã hồ sơ' }, 200), site);
    expect([client.kind, client.message]).toEqual(['permanent', 'SOAP fault soap:Client "Thiếu mã hồ sơ" from NopHoSo (http 200)']);
    const server = classifySoapError(withFault({ Code: { Value: 'env:Receiver', Subcode: { Value: 'm:Ban' } }, Reason: { Text: 'CSDL bận' } }, 400), site);
    expect([server.kind, server.message]).toEqual(['transient', 'SOAP fault env:Receiver/m:Ban "CSDL bận" from NopHoSo (http 400)']);
  });

  it('passes its own errors through; network failures and timeouts are transient', () => {
    const own = DeliveryError.permanent('x');
    expect(classifySoapError(own, site)).toBe(own);
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { isAxiosError: true, code: 'ECONNREFUSED' });
    expect(classifySoapError(refused, site).message).toBe('connection refused (http://10.0.5.21:9102)');
    const timeout = Object.assign(new Error('timeout of 10000ms exceeded'), { isAxiosError: true, code: 'ECONNABORTED' });
    expect(classifySoapError(timeout, site)).toMatchObject({ kind: 'transient', message: 'timeout after 10000 ms (NopHoSo http://10.0.5.21:9102/ws)' });
    expect(classifySoapError(new Error('?'), site).kind).toBe('transient');
  });
});

describe('xml guard', () => {
  it('spots DTDs and envelopes', () => {
    expect(hasDtd('<?xml version="1.0"?><!doctype x><x/>')).toBe(true);
    expect(hasDtd('<x>&lt;!DOCTYPE</x>')).toBe(false);
    expect(isEnvelope('<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope">')).toBe(true);
    expect(isEnvelope('<html><body>Envelope</body></html>')).toBe(false);
  });
  it('measures depth and elements, skipping comments, CDATA and quoted ">"', () => {
    expect(measure('<a><b x="1>2"/><!-- <c><c><c> --><![CDATA[<d><d>]]><e><f/></e></a>')).toEqual({ depth: 2, elements: 4 });
    expect(measure(`${'<a>'.repeat(1000)}${'</a>'.repeat(1000)}`, { depth: 10, elements: 1e6 }).depth).toBe(11);
  });
});
