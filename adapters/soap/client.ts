import { readFile, stat } from 'node:fs/promises';
import { BasicAuthSecurity, createClientAsync, WSSecurity, type Client } from 'soap';
import { DeliveryError } from '../../core/errors.js';
import { snippet } from '../http/failure.js';
import { classifySoapError } from './classify.js';
import type { SoapSecurity, SoapTransport } from './config.js';
import type { GuardedHttpClient } from './http-client.js';
import { chooseVersion, wsdlPorts, type SoapVersion, type WsdlPort } from './wsdl-info.js';
import { MAX_WSDL_BYTES, refusal } from './xml-guard.js';

type Method = (args: unknown, callback: (err: unknown, result: unknown) => void, options?: object, headers?: object) => void;

/** A `soap` client ready for calls: the WSDL loaded, the SOAP version and port chosen, security set. */
export interface SoapConnection {
  client: Client;
  version: SoapVersion;
  /** The port calls go through, when the WSDL names one of the chosen version. */
  port?: WsdlPort;
  /** Where calls go: `transport.endpoint`, else the chosen port's address. */
  address: string;
  /** Operation names of the chosen port (of every port when none was chosen). */
  operations: string[];
  /** The callable of an operation, or undefined when the WSDL has no such operation. */
  method(name: string): Method | undefined;
}

/** The security object of the `soap` package for `security` (none: undefined). */
export function securityOf(security: SoapSecurity) {
  switch (security.type) {
    case 'username-token':
      return new WSSecurity(security.username, security.password, { passwordType: security.passwordType === 'digest' ? 'PasswordDigest' : 'PasswordText' });
    case 'basic':
      return new BasicAuthSecurity(security.username, security.password);
    default:
      return undefined;
  }
}

/** A WSDL file is checked like a downloaded one: bounded, no DTD. */
async function checkWsdlFile(file: string): Promise<void> {
  const info = await stat(file).catch((err: NodeJS.ErrnoException) => {
    throw DeliveryError.permanent(`cannot load the WSDL ${file}: the file cannot be read (${err.code ?? err.message})`, { code: 'WSDL' });
  });
  if (info.size > MAX_WSDL_BYTES) throw DeliveryError.permanent(`cannot load the WSDL ${file}: too large (${info.size} bytes, at most ${MAX_WSDL_BYTES})`, { code: 'WSDL' });
  const why = refusal(await readFile(file, 'utf8'));
  if (why) throw DeliveryError.permanent(`cannot load the WSDL ${file}: ${why}`, { code: 'WSDL' });
}

/**
 * Load the WSDL (`transport.wsdl`, URL or file) into a new `soap` client,
 * bypassing the package's process-wide WSDL cache (a department saved again
 * must get its WSDL anew). Throws a `DeliveryError` saying why it could not:
 * network failures and 5xx are transient, anything else (404, not a WSDL, a
 * DTD, a parse error) permanent.
 */
export async function loadConnection(transport: SoapTransport, http: GuardedHttpClient): Promise<SoapConnection> {
  const { wsdl, timeoutMs } = transport;
  const isUrl = /^https?:\/\//i.test(wsdl);
  const prefix = `cannot load the WSDL ${wsdl}: `;
  const fail = (err: unknown): never => {
    if (err instanceof DeliveryError) throw new DeliveryError(err.kind, prefix + err.message, err.detail);
    if ((err as { isAxiosError?: boolean })?.isAxiosError) {
      // Our only signal on a WSDL download is its timeout.
      const timedOut = (err as { code?: string }).code === 'ERR_CANCELED';
      const failed = classifySoapError(err, { operation: 'GET', url: wsdl, timeoutMs, timedOut });
      throw new DeliveryError(failed.kind, prefix + failed.message, { code: 'WSDL', cause: err });
    }
    const message = err instanceof Error ? err.message : String(err);
    throw DeliveryError.permanent(prefix + snippet(message.replace(/\s*\n\s*/g, ', '), 300), { code: 'WSDL', cause: err });
  };
  if (!isUrl) await checkWsdlFile(wsdl);
  const wsdlOptions = http.optionsFor({ site: { operation: 'GET', url: wsdl, timeoutMs } }, { signal: AbortSignal.timeout(timeoutMs) });
  const client = await createClientAsync(wsdl, {
    disableCache: true,
    httpClient: http,
    wsdl_options: wsdlOptions,
    ...(transport.endpoint ? { endpoint: transport.endpoint } : {}),
  }).catch(fail);
  if (!client) return fail(new Error('no client'));
  const ports = wsdlPorts(client.wsdl.toXML());
  const version = chooseVersion(ports, transport.soapVersion);
  client.wsdl.options.forceSoap12Headers = version === '1.2';
  const security = securityOf(transport.security);
  if (security) client.setSecurity(security);

  const services = client.wsdl.definitions.services as Record<string, { ports: Record<string, { location?: string; binding: { methods: Record<string, unknown> } }> }>;
  const port = ports.find((p) => p.version === version && services[p.service]?.ports[p.port]);
  const bound = port ? services[port.service]?.ports[port.port] : undefined;
  const operations = bound
    ? Object.keys(bound.binding.methods)
    : [...new Set(Object.values(services).flatMap((s) => Object.values(s.ports).flatMap((p) => Object.keys(p.binding.methods))))];
  const address = transport.endpoint ?? bound?.location ?? Object.values(services).flatMap((s) => Object.values(s.ports))[0]?.location ?? wsdl;
  return {
    client,
    version,
    ...(port ? { port } : {}),
    address,
    operations,
    method(name) {
      if (!operations.includes(name)) return undefined;
      const viaPort = port ? (client[port.service]?.[port.port]?.[name] as Method | undefined) : undefined;
      return viaPort ?? (client[name] as Method | undefined);
    },
  };
}
