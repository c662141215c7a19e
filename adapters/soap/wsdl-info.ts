import { XMLParser } from 'fast-xml-parser';

export type SoapVersion = '1.1' | '1.2';

/** One `<service><port>` of a WSDL, with the SOAP version of its binding. */
export interface WsdlPort {
  service: string;
  port: string;
  binding: string;
  /** From the binding's `<soap:binding>` (1.1) or `<soap12:binding>` (1.2); undefined for other bindings (HTTP GET...). */
  version?: SoapVersion;
}

const NS: Record<string, SoapVersion> = {
  'http://schemas.xmlsoap.org/wsdl/soap/': '1.1',
  'http://schemas.xmlsoap.org/wsdl/soap12/': '1.2',
};

type Node = Record<string, unknown>;
const local = (name: string) => name.slice(name.indexOf(':') + 1);
const prefix = (name: string) => (name.includes(':') ? name.slice(0, name.indexOf(':')) : '');
const children = (node: Node, name: string): Node[] =>
  Object.entries(node)
    .filter(([key]) => !key.startsWith('@') && local(key) === name)
    .flatMap(([, v]) => (Array.isArray(v) ? v : [v]))
    .filter((v): v is Node => !!v && typeof v === 'object');
const attr = (node: Node, name: string) => (typeof node[`@${name}`] === 'string' ? (node[`@${name}`] as string) : undefined);

/**
 * The ports of a WSDL 1.1 document and the SOAP version of each, which the
 * `soap` package does not keep (it only knows "SOAP 1.2 on" per client).
 * Parsed with fast-xml-parser, entities off (the text was checked for a DTD
 * before). Prefixes are resolved from declarations on the root and on each
 * binding. Ports of imported WSDLs are not seen (empty list: the caller falls
 * back to SOAP 1.1).
 */
export function wsdlPorts(xml: string): WsdlPort[] {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    processEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  });
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch {
    return [];
  }
  const root = children(doc, 'definitions')[0];
  if (!root) return [];
  const namespaces = (node: Node, inherited: Record<string, string>) => {
    const own = Object.entries(node).filter(([k, v]) => k.startsWith('@xmlns') && typeof v === 'string');
    return { ...inherited, ...Object.fromEntries(own.map(([k, v]) => [k === '@xmlns' ? '' : k.slice('@xmlns:'.length), v as string])) };
  };
  const rootNs = namespaces(root, {});
  const versions = new Map<string, SoapVersion | undefined>();
  for (const binding of children(root, 'binding')) {
    const ns = namespaces(binding, rootNs);
    const name = attr(binding, 'name');
    const soapBinding = Object.keys(binding).find((k) => !k.startsWith('@') && local(k) === 'binding' && NS[ns[prefix(k)] ?? '']);
    if (name) versions.set(name, soapBinding ? NS[ns[prefix(soapBinding)] ?? ''] : undefined);
  }
  const ports: WsdlPort[] = [];
  for (const service of children(root, 'service')) {
    for (const port of children(service, 'port')) {
      const binding = local(attr(port, 'binding') ?? '');
      const entry: WsdlPort = { service: attr(service, 'name') ?? '', port: attr(port, 'name') ?? '', binding };
      const version = versions.get(binding);
      if (version) entry.version = version;
      ports.push(entry);
    }
  }
  return ports;
}

/**
 * The SOAP version to speak: the configured one, else the WSDL's. A WSDL with
 * both (as .NET services publish) gets 1.1, the one every SOAP stack speaks.
 */
export function chooseVersion(ports: WsdlPort[], configured?: SoapVersion): SoapVersion {
  if (configured) return configured;
  const has = (v: SoapVersion) => ports.some((p) => p.version === v);
  return !has('1.1') && has('1.2') ? '1.2' : '1.1';
}
