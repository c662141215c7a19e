import { Hono, type Context } from 'hono';
import { ProblemError } from '../../core/errors.js';
import { mapStatus } from '../../core/model/department.js';
import { canonicalEventSchema } from '../../core/model/event.js';
import type { Services } from '../../core/use-cases/index.js';
import type { GatewayEnv } from '../env.js';
import { SoapFaultError, type InboundSoapCodec, type SoapVersion } from '../../core/ports/index.js';

export interface SoapEventOptions {
  /** The envelope format (adapters/soap/inbound-codec.ts, injected by the runtime). */
  codec: InboundSoapCodec;
  /** Public URL of the service (e.g. behind a proxy); default: from the request's Host (and X-Forwarded-Proto/Host). */
  publicUrl?: string;
}

/** Where callers reach `/soap/events`, as they addressed us. */
function serviceAddress(c: Context, options: SoapEventOptions): string {
  if (options.publicUrl) return options.publicUrl;
  const url = new URL(c.req.url);
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim();
  const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim() ?? c.req.header('host') ?? url.host;
  return `${proto === 'https' || proto === 'http' ? proto : url.protocol.slice(0, -1)}://${host}/soap/events`;
}

/**
 * Inbound SOAP (docs/api-v1.md, "Inbound SOAP"), for departments that can
 * only call SOAP: `GET /soap/events?wsdl` serves the WSDL (no auth);
 * `POST /soap/events` takes `PostEvent` in SOAP 1.1 or 1.2, authenticated by a
 * WS-Security UsernameToken whose Username is the department id and whose
 * Password (PasswordText: keys are stored hashed, so a digest cannot be
 * checked) is that department's API key. The event goes through the
 * department's `statusMap` and `EventService.apply`, as REST callbacks do.
 *
 * Faults answer HTTP 500 in SOAP 1.1 (its HTTP binding says so, and clients
 * read fault bodies only then) and, in SOAP 1.2, 400 for Sender faults and 500
 * for Receiver faults. A refused login is a Client/Sender fault
 * "authentication failed" (no 401: SOAP stacks would not read its body).
 */
export function soapEventRoutes(services: Services, options: SoapEventOptions) {
  const app = new Hono<GatewayEnv>();
  const { codec } = options;

  app.get('/soap/events', (c) => {
    if (!Object.keys(c.req.queries()).some((q) => q.toLowerCase() === 'wsdl')) {
      return c.text('lienthong events service: POST a SOAP 1.1 or 1.2 PostEvent envelope here; its WSDL is at ?wsdl\n');
    }
    return c.body(codec.wsdl(serviceAddress(c, options)), 200, { 'content-type': 'text/xml; charset=utf-8' });
  });

  app.post('/soap/events', async (c) => {
    const text = await c.req.text();
    let version: SoapVersion = /application\/soap\+xml/i.test(c.req.header('content-type') ?? '') ? '1.2' : '1.1';
    const fault = (kind: SoapFaultError['kind'], message: string) => {
      const status = version === '1.2' && kind !== 'server' ? 400 : 500;
      if (kind !== 'server') c.get('logger').warn({ dossierCode: c.get('dossierCode') }, `inbound SOAP event refused: ${message}`);
      return c.body(codec.fault(version, kind, message), status, { 'content-type': codec.contentType(version) });
    };
    try {
      const read = codec.read(text);
      version = read.version;
      if (read.operation !== 'PostEvent') throw new SoapFaultError('client', `unknown operation "${read.operation}": this service has PostEvent`);
      const departmentId = read.fields.departmentId ?? '';
      const token = read.token;
      if (!token) throw new SoapFaultError('client', 'authentication failed: send a WS-Security UsernameToken (department id, API key)');
      if (token.passwordType !== 'PasswordText') throw new SoapFaultError('client', 'authentication failed: use PasswordText (keys are stored hashed, a digest cannot be checked); send it over HTTPS');
      const principal = token.password ? await services.keys.authenticate(token.password) : undefined;
      if (!principal || principal.role !== 'department' || principal.departmentId !== token.username || token.username !== departmentId) {
        throw new SoapFaultError('client', 'authentication failed: the UsernameToken must be the departmentId and that department’s API key');
      }
      const department = await services.departments.get(departmentId).catch(() => undefined);
      if (!department) throw new SoapFaultError('client', `department ${departmentId} is not registered`);
      const { fields } = read;
      if (fields.dossierCode) c.set('dossierCode', fields.dossierCode);
      const parsed = canonicalEventSchema.safeParse({
        status: fields.status,
        ...(fields.dossierCode ? { dossierCode: fields.dossierCode } : {}),
        ...(fields.reference ? { reference: fields.reference } : {}),
        ...(fields.note ? { note: fields.note } : {}),
        ...(fields.occurredAt ? { occurredAt: fields.occurredAt } : {}),
      });
      if (!parsed.success) throw new SoapFaultError('client', `invalid event: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'status'}: ${i.message}`).join('; ')}`);
      const event = parsed.data;
      event.status = mapStatus(department.config, event.status);
      const outcome = await services.events.apply(departmentId, event, `department:${departmentId}`, undefined, { source: 'soap' }).catch((err: unknown) => {
        if (err instanceof ProblemError && err.status === 404) throw new SoapFaultError('client', 'dossier not found');
        if (err instanceof ProblemError && err.status < 500) throw new SoapFaultError('client', err.message);
        throw err;
      });
      c.set('dossierCode', outcome.dossierCode);
      const answer = { dossierCode: outcome.dossierCode, status: outcome.status, statusCode: outcome.statusCode, applied: outcome.applied, ...(outcome.reason ? { reason: outcome.reason } : {}) };
      return c.body(codec.answer(version, answer), 200, { 'content-type': codec.contentType(version) });
    } catch (err) {
      if (err instanceof SoapFaultError) return fault(err.kind, err.message);
      c.get('logger').error({ dossierCode: c.get('dossierCode'), err: { name: (err as Error).name, message: (err as Error).message } }, 'inbound SOAP event: unexpected error');
      return fault('server', 'an unexpected error occurred; try again later');
    }
  });
  return app;
}
