import { XMLParser } from 'fast-xml-parser';
import { SoapFaultError, type InboundEnvelope, type SoapVersion } from '../../core/ports/index.js';

export { SoapFaultError, type SoapVersion };
/** @deprecated the old name of core's {@link InboundEnvelope}. */
export type ReadEnvelope = InboundEnvelope;


const ENVELOPE_NS: Record<string, SoapVersion> = {
  'http://schemas.xmlsoap.org/soap/envelope/': '1.1',
  'http://www.w3.org/2003/05/soap-envelope': '1.2',
};
const NS_OF: Record<SoapVersion, string> = { '1.1': 'http://schemas.xmlsoap.org/soap/envelope/', '1.2': 'http://www.w3.org/2003/05/soap-envelope' };

type Node = Record<string, unknown>;
const local = (name: string) => name.slice(name.indexOf(':') + 1);
const child = (node: Node | undefined, name: string): Node | undefined => {
  const key = node && Object.keys(node).find((k) => !k.startsWith('@') && local(k) === name);
  const value = key ? node[key] : undefined;
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Node) : undefined;
};
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#x([\da-f]{1,6}));/gi;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML's predefined entities and character references decoded (the parser expands none), text NFC. */
export function xmlText(value: unknown): string | undefined {
  const raw = typeof value === 'object' && value !== null ? (value as Node)['#text'] : value;
  if (raw === undefined || raw === null || typeof raw === 'object') return undefined;
  const decoded = String(raw).replace(ENTITY, (_m, named: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (named) return NAMED[named.toLowerCase()] ?? '';
    const code = dec ? Number(dec) : Number.parseInt(hex ?? '', 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
  return decoded.normalize('NFC');
}

export function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: false,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
  maxNestedTags: 32,
});

/**
 * Read a SOAP 1.1 or 1.2 request safely: a DTD is refused before parsing
 * (so no entity is ever declared, let alone expanded), fast-xml-parser runs
 * with entity processing off and nesting capped, and the size was bounded by
 * the gateway's body limit. Throws `SoapFaultError` saying what is wrong.
 */
export function readEnvelope(text: string): InboundEnvelope {
  if (/<!(?:DOCTYPE|ENTITY)\b/i.test(text)) throw new SoapFaultError('client', 'a DTD (<!DOCTYPE>/<!ENTITY>) is not allowed in a SOAP message');
  let doc: Node;
  try {
    doc = parser.parse(text, true) as Node;
  } catch (err) {
    throw new SoapFaultError('client', `malformed XML: ${String((err as Error).message ?? err).split('\n')[0]}`);
  }
  const envelopeKey = Object.keys(doc).find((k) => local(k) === 'Envelope');
  const envelope = envelopeKey ? (doc[envelopeKey] as Node) : undefined;
  if (!envelopeKey || !envelope || typeof envelope !== 'object') throw new SoapFaultError('client', 'not a SOAP envelope');
  const prefix = envelopeKey.includes(':') ? envelopeKey.slice(0, envelopeKey.indexOf(':')) : '';
  const ns = envelope[prefix ? `@xmlns:${prefix}` : '@xmlns'];
  const version = typeof ns === 'string' ? ENVELOPE_NS[ns] : undefined;
  if (!version) throw new SoapFaultError('version', 'the envelope namespace is neither SOAP 1.1 nor SOAP 1.2');
  const body = child(envelope, 'Body');
  const opKey = body && Object.keys(body).find((k) => !k.startsWith('@'));
  const op = opKey ? body[opKey] : undefined;
  const fields: Record<string, string> = {};
  if (op && typeof op === 'object') {
    for (const [key, value] of Object.entries(op as Node)) {
      const t = key.startsWith('@') ? undefined : xmlText(value);
      if (t !== undefined) fields[local(key)] = t;
    }
  }
  const token = child(child(child(envelope, 'Header'), 'Security'), 'UsernameToken');
  const password = token && Object.entries(token).find(([k]) => local(k) === 'Password')?.[1];
  const read = {
    version,
    operation: opKey ? local(opKey) : '',
    fields,
  };
  if (!token) return read;
  const passwordType = String((password as Node | undefined)?.['@Type'] ?? '#PasswordText');
  const username = xmlText(Object.entries(token).find(([k]) => local(k) === 'Username')?.[1]) ?? '';
  return { ...read, token: { username, password: xmlText(password) ?? '', passwordType: passwordType.slice(passwordType.lastIndexOf('#') + 1) } };
}

/** A whole SOAP envelope around `body`. */
export function envelope(version: SoapVersion, body: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${NS_OF[version]}"><soap:Body>${body}</soap:Body></soap:Envelope>`;
}

/** A fault envelope: 1.1 `faultcode`/`faultstring`, 1.2 `Code/Value` and `Reason/Text`. */
export function faultEnvelope(version: SoapVersion, kind: SoapFaultError['kind'], message: string): string {
  const text = xmlEscape(message);
  if (version === '1.1') {
    const code = kind === 'client' ? 'Client' : kind === 'server' ? 'Server' : 'VersionMismatch';
    return envelope(version, `<soap:Fault><faultcode>soap:${code}</faultcode><faultstring>${text}</faultstring></soap:Fault>`);
  }
  const code = kind === 'client' ? 'Sender' : kind === 'server' ? 'Receiver' : 'VersionMismatch';
  return envelope(version, `<soap:Fault><soap:Code><soap:Value>soap:${code}</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">${text}</soap:Text></soap:Reason></soap:Fault>`);
}

/** Content type of an answer in `version`. */
export const contentType = (version: SoapVersion) => (version === '1.2' ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8');
