import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen } from 'soap';
import { afterAll, describe, expect, it } from 'vitest';
import { soapAdapter, submitOf } from '../../tests/helpers/soap-registration.js';

/**
 * An rpc-style variant of the land registry's NopHoSo (typed parts, no
 * wrapper element in the schema), served by the `soap` package's server.
 */
const rpcWsdl = (use: 'literal' | 'encoded', address: string) => {
  const body = `<soap:body use="${use}" namespace="urn:vpdkdd:rpc"${use === 'encoded' ? ' encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"' : ''}/>`;
  return `<?xml version="1.0"?>
<definitions name="HoSoRpc" targetNamespace="urn:vpdkdd:rpc" xmlns:tns="urn:vpdkdd:rpc" xmlns="http://schemas.xmlsoap.org/wsdl/"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <message name="NopHoSoRequest"><part name="maHoSo" type="xsd:string"/><part name="nguoiNop" type="xsd:string"/></message>
  <message name="NopHoSoResponse"><part name="maBienNhan" type="xsd:string"/></message>
  <portType name="HoSoRpcPortType"><operation name="NopHoSo"><input message="tns:NopHoSoRequest"/><output message="tns:NopHoSoResponse"/></operation></portType>
  <binding name="HoSoRpcBinding" type="tns:HoSoRpcPortType">
    <soap:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="NopHoSo"><soap:operation soapAction="urn:vpdkdd:rpc#NopHoSo"/><input>${body}</input><output>${body}</output></operation>
  </binding>
  <service name="HoSoRpc"><port name="HoSoRpcPort" binding="tns:HoSoRpcBinding"><soap:address location="${address}"/></port></service>
</definitions>`;
};

describe.each(['literal', 'encoded'] as const)('an rpc/%s service', (use) => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

  it('receives the parts and answers a result the reference mapping reads', async () => {
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rpc`;
    const received: unknown[] = [];
    const NopHoSo = (args: { maHoSo: string }) => {
      received.push(args);
      return { maBienNhan: `BN-${args.maHoSo.slice(-4)}` };
    };
    listen(server, { path: '/rpc', services: { HoSoRpc: { HoSoRpcPort: { NopHoSo } } }, xml: rpcWsdl(use, url) });
    const { adapter } = soapAdapter({ name: 'VPĐK (rpc)', transport: { type: 'soap', wsdl: `${url}?wsdl` }, operations: { submit: { operation: 'NopHoSo', reference: 'maBienNhan' } } });
    const op = submitOf({ code: '000.00.00.H63-261128-0007' }, { maHoSo: '000.00.00.H63-261128-0007', nguoiNop: 'Trần Văn Hùng' });
    expect((await adapter.send(op)).answer).toEqual({ maBienNhan: 'BN-0007' });
    expect(received).toEqual([{ maHoSo: '000.00.00.H63-261128-0007', nguoiNop: 'Trần Văn Hùng' }]);
    const { envelope } = await adapter.prepare(op);
    expect(envelope).toContain('<tns:NopHoSo><maHoSo>000.00.00.H63-261128-0007</maHoSo><nguoiNop>Trần Văn Hùng</nguoiNop></tns:NopHoSo>');
    // node-soap writes rpc/encoded like rpc/literal: no soap:encodingStyle, no xsi:type on the parts,
    // no SOAP-ENC arrays. Servers that type parts from their WSDL (as node-soap's does) accept it.
    expect(envelope).not.toContain('encodingStyle');
  });
});
