import { DeliveryError, type FailureKind } from '../../core/errors.js';
import { classifyHttpStatus, classifyNetworkError, snippet } from '../http/failure.js';

/** Where a failed call was going, for the message. */
export interface CallSite {
  /** The WSDL operation (`NopHoSo`), or `GET` for a WSDL download. */
  operation: string;
  url: string;
  timeoutMs: number;
  /** True when our own timeout fired. */
  timedOut?: boolean;
  /** True when the caller's signal aborted the call. */
  aborted?: boolean;
}

/** A SOAP fault as read from the answer: 1.1 `faultcode`/`faultstring`, 1.2 `Code/Value`, `Subcode/Value`, `Reason/Text`. */
export interface SoapFault {
  code: string;
  subcode?: string;
  reason: string;
}

/** The local part of a qualified name: `soap:Client.Auth` → `Client.Auth`. */
export const localPart = (qname: string) => qname.slice(qname.lastIndexOf(':') + 1).trim();

/**
 * How a fault is retried, by the local part of its code only (never by the
 * HTTP status it came with): `Client`, `Client.*` and `Sender` are refusals of
 * what we sent (permanent), as are `VersionMismatch`, `MustUnderstand` and
 * `DataEncodingUnknown` (fixing them needs a config change); `Server`,
 * `Server.*` and `Receiver` are the department's trouble (transient); an
 * unknown code is transient, since a retry is safer than a lost dossier.
 */
export function faultKind(code: string): FailureKind {
  const local = localPart(code);
  if (local === 'Client' || local.startsWith('Client.') || local === 'Sender') return 'permanent';
  if (local === 'VersionMismatch' || local === 'MustUnderstand' || local === 'DataEncodingUnknown') return 'permanent';
  return 'transient';
}

/** Text of a parsed element: a string, `{$value}` when it had attributes, the first of several. */
function text(node: unknown): string | undefined {
  if (Array.isArray(node)) return text(node[0]);
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (node && typeof node === 'object' && '$value' in node) return text((node as { $value: unknown }).$value);
  return undefined;
}

/** The fault carried by an error of the `soap` client (`err.root.Envelope.Body.Fault`), if any. */
export function faultOf(err: unknown): SoapFault | undefined {
  const root = (err as { root?: { Envelope?: { Body?: { Fault?: Record<string, unknown> } } } } | undefined)?.root;
  const fault = root?.Envelope?.Body?.Fault;
  if (!fault || typeof fault !== 'object') return undefined;
  const code11 = text(fault.faultcode);
  if (code11 !== undefined) return { code: code11, reason: text(fault.faultstring) ?? '' };
  const code = fault.Code as { Value?: unknown; Subcode?: { Value?: unknown } } | undefined;
  const value = text(code?.Value);
  if (value === undefined) return undefined;
  const subcode = text(code?.Subcode?.Value);
  const reason = text((fault.Reason as { Text?: unknown } | undefined)?.Text) ?? '';
  return { code: value, ...(subcode ? { subcode } : {}), reason };
}

/** `SOAP fault soap:Client "Thiếu mã hồ sơ" from NopHoSo (http 500)`, classified by the fault code. */
export function faultError(fault: SoapFault, site: CallSite, status?: number): DeliveryError {
  const code = fault.subcode ? `${fault.code}/${fault.subcode}` : fault.code;
  const message = `SOAP fault ${code} "${snippet(fault.reason)}" from ${site.operation}${status ? ` (http ${status})` : ''}`;
  return new DeliveryError(faultKind(fault.code), message, { ...(status ? { status } : {}), code: `SOAP_FAULT_${localPart(fault.code)}` });
}

/**
 * An HTTP answer that carries no SOAP fault, classified by the one HTTP rule
 * (`classifyHttpStatus`, adapters/http/failure.ts): a 3xx (redirects are not
 * followed) and a 2xx that is not a SOAP envelope are permanent. `what` says
 * what came instead.
 */
export function httpError(status: number, site: CallSite, what: string): DeliveryError {
  const kind = classifyHttpStatus(status);
  const message = `HTTP ${status} from ${site.operation} at ${site.url} without a SOAP fault${what ? `: ${what}` : ''}`;
  return new DeliveryError(kind, message, { status, code: `HTTP_${status}` });
}

/** The `maxContentLength` failure of axios, which the `soap` package uses for HTTP. */
const TOO_LARGE = /maxContentLength size of (\d+) exceeded|maxBodyLength|max(?:imum)? ?body length/i;

/**
 * Any failure of a call through the `soap` client as a `DeliveryError`: our own
 * refusals pass through; a fault is classified by its code; an answer the
 * parser cannot read is permanent (malformed XML, not a SOAP answer, too
 * large); network failures, timeouts and aborts are transient.
 */
export function classifySoapError(err: unknown, site: CallSite, status?: number): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = err as { message?: unknown; response?: { status?: number }; Fault?: { faultstring?: unknown; detail?: unknown }; code?: unknown } | undefined;
  const httpStatus = status ?? e?.response?.status;
  const fault = faultOf(err);
  if (fault) return faultError(fault, site, httpStatus);
  const at = `${site.operation} at ${site.url}`;
  if (e && typeof e === 'object' && e.Fault && e.Fault.faultstring === 'Invalid XML') {
    // sax's message: "Invalid character entity\nLine: 0\nColumn: 12\nChar: ;" → one line.
    const why = String(e.Fault.detail ?? '').replace(/^Error: /, '').replace(/\s*\n\s*/g, ', ');
    return DeliveryError.permanent(`malformed XML in the answer to ${at}: ${snippet(why, 200)}`, { ...(httpStatus ? { status: httpStatus } : {}), code: 'MALFORMED_XML' });
  }
  const message = typeof e?.message === 'string' ? e.message : '';
  const axios = (err as { isAxiosError?: unknown } | undefined)?.isAxiosError === true;
  if (axios && TOO_LARGE.test(message)) {
    // Not read, so not parsed: a busy department's huge error page is still a 5xx.
    const answered = (err as { request?: { res?: { statusCode?: number } } }).request?.res?.statusCode;
    if (answered && answered >= 400) return httpError(answered, site, 'answer too large to read');
    return DeliveryError.permanent(`answer too large (over ${/(\d+)/.exec(message)?.[1] ?? '?'} bytes) from ${at}`, { code: 'ANSWER_TOO_LARGE', cause: err });
  }
  if (axios && e?.code === 'ECONNABORTED') return classifyNetworkError(err, { method: site.operation, url: site.url, timeoutMs: site.timeoutMs, timedOut: true });
  if (!axios && message === 'Error http status codes' && httpStatus) return httpError(httpStatus, site, 'empty body');
  if (!axios && e?.response) {
    // The package attaches the HTTP response to what went wrong while reading an answer.
    const why =
      message === 'Cannot parse response'
        ? 'no SOAP body'
        : err instanceof TypeError
          ? `content the WSDL does not describe (${snippet(message, 120)})`
          : snippet(message.replace(/\s*\n\s*/g, ', '), 200);
    return DeliveryError.permanent(`cannot read the answer to ${at}${httpStatus ? ` (http ${httpStatus})` : ''}: ${why}`, { ...(httpStatus ? { status: httpStatus } : {}), code: 'UNREADABLE_ANSWER' });
  }
  return classifyNetworkError(err, { method: site.operation, url: site.url, timeoutMs: site.timeoutMs, ...(site.timedOut ? { timedOut: true } : {}), ...(site.aborted ? { aborted: true } : {}) });
}
