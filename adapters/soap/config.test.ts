import { describe, expect, it } from 'vitest';
import { zodIssues } from '../../core/errors.js';
import { soapDepartmentSchema } from './config.js';
import { chooseVersion, wsdlPorts } from './wsdl-info.js';

const parse = (transport: Record<string, unknown>, operations: Record<string, unknown> = { submit: { operation: 'NopHoSo' } }) => {
  const result = soapDepartmentSchema.safeParse({ transport: { type: 'soap', ...transport }, operations });
  return result.success ? { data: result.data, issues: [] } : { data: undefined, issues: zodIssues(result.error.issues) };
};

describe('soap config', () => {
  it('fills defaults', () => {
    const { data } = parse({ wsdl: 'http://10.0.5.21:9102/ws?wsdl', security: { type: 'username-token', username: 'u', password: 'p' } });
    expect(data?.transport).toMatchObject({ timeoutMs: 10000, security: { passwordType: 'text' } });
    expect(data?.transport.soapVersion).toBeUndefined();
    expect(data?.operations.submit).toEqual({ operation: 'NopHoSo', documents: 'none' });
  });

  it('names each bad field', () => {
    const { issues } = parse(
      { wsdl: 'wsdl/dept.wsdl', endpoint: 'ftp://x', soapVersion: '2.0', security: { type: 'username-token', username: 'u', password: '' }, tls: { cert: 'x', key: 'y' } },
      { submit: { operation: 'Nop Ho So', documents: 'mtom' } },
    );
    expect(issues.map((i) => i.path).sort()).toEqual([
      'operations.submit.documents',
      'operations.submit.operation',
      'transport.endpoint',
      'transport.security.password',
      'transport.soapVersion',
      'transport.tls.cert',
      'transport.tls.key',
      'transport.wsdl',
    ]);
    expect(parse({ wsdl: 'http://user:pw@10.0.5.21/ws?wsdl' }).issues[0]?.path).toBe('transport.wsdl');
    expect(parse({ wsdl: '/srv/lienthong/wsdl/vpdk.wsdl' }).issues).toEqual([]);
  });
});

describe('wsdlPorts', () => {
  const wsdl = (bindings: string, ports: string) => `<?xml version="1.0"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:s11="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:s12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:tns="urn:x">
  ${bindings}<service name="Svc">${ports}</service></definitions>`;
  const both = wsdl(
    '<binding name="B11" type="tns:P"><s11:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/></binding><binding name="B12" type="tns:P"><!-- 1.2 --><s12:binding transport="http://schemas.xmlsoap.org/soap/http"/></binding>',
    '<port name="P12" binding="tns:B12"/><port name="P11" binding="tns:B11"/>',
  );

  it('tells each port its SOAP version; 1.1 wins when both are offered', () => {
    const ports = wsdlPorts(both);
    expect(ports).toEqual([
      { service: 'Svc', port: 'P12', binding: 'B12', version: '1.2' },
      { service: 'Svc', port: 'P11', binding: 'B11', version: '1.1' },
    ]);
    expect(chooseVersion(ports)).toBe('1.1');
    expect(chooseVersion(ports, '1.2')).toBe('1.2');
    expect(chooseVersion(ports.slice(0, 1))).toBe('1.2');
    expect(chooseVersion(wsdlPorts('not xml'))).toBe('1.1');
  });
});
