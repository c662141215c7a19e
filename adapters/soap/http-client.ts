import type { Agent as HttpsAgent } from 'node:https';
import { HttpClient } from 'soap';
import { DeliveryError } from '../../core/errors.js';
import { classifyHttpStatus, snippet } from '../http/failure.js';
import { httpError, type CallSite } from './classify.js';
import { MAX_ANSWER_BYTES, MAX_WSDL_BYTES, hasFault, htmlTitle, isEnvelope, isHtml, refusal } from './xml-guard.js';

/** What the adapter attaches to one call (keyed by the call's options object). */
export interface CallContext {
  site: CallSite;
  /** Set for `prepare`: receives the request instead of it being sent. */
  capture?: (request: { url: string; envelope: string; headers: Record<string, string> }) => void;
  /** Filled in with the HTTP status of the answer. */
  status?: number;
}

/** Thrown through the `soap` client when a call was only captured (prepare). */
export class CapturedOnly extends Error {
  override name = 'CapturedOnly';
}

type Callback = (error: unknown, res?: { status: number; headers: Record<string, unknown> }, body?: unknown) => unknown;

/**
 * The `soap` package's HTTP client (axios), bounded and checked. It is the
 * package's documented extension point (`options.httpClient`), used for the
 * WSDL, its imports and every call:
 * - answers are capped (`maxContentLength`, after decompression), redirects
 *   of calls are not followed (a POST would replay a dossier elsewhere);
 * - before `sax` sees an answer: a DTD is refused; a 3xx, or an error status
 *   without a SOAP fault, or a non-empty body that is no SOAP envelope, is
 *   classified from the HTTP status (docs: HTTP 5xx without fault → transient);
 * - a WSDL answered other than 200, an HTML page, or a DTD is refused, saying so;
 * - a call registered with `capture` is not sent at all (`prepare`).
 */
export class GuardedHttpClient extends HttpClient {
  private readonly calls = new WeakMap<object, CallContext>();
  /** Answers' bodies as received: the package's `handleResponse` cuts away what surrounds the envelope (a DTD included). */
  private readonly raw = new WeakMap<object, unknown>();

  constructor(private readonly agent?: HttpsAgent) {
    super({});
  }

  /** Options object for one call, tied to `context`. */
  optionsFor(context: CallContext, options: Record<string, unknown>): Record<string, unknown> {
    this.calls.set(options, context);
    return options;
  }

  override buildRequest(rurl: string, data: unknown, exheaders?: Record<string, unknown>, exoptions?: Record<string, unknown>) {
    const request = super.buildRequest(rurl, data, exheaders as never, exoptions as never) as Record<string, unknown>;
    const call = data !== null && data !== undefined;
    request.maxContentLength = call ? MAX_ANSWER_BYTES : MAX_WSDL_BYTES;
    request.maxRedirects = call ? 0 : 5;
    if (this.agent) request.httpsAgent = this.agent;
    return request;
  }

  override handleResponse(req: never, res: never, body: unknown) {
    if (res && typeof res === 'object') this.raw.set(res, body ?? (res as { data?: unknown }).data);
    return super.handleResponse(req, res, body);
  }

  override request(rurl: string, data: unknown, callback: Callback, exheaders?: Record<string, unknown>, exoptions?: Record<string, unknown>) {
    const context = exoptions ? this.calls.get(exoptions) : undefined;
    if (context?.capture) {
      const headers = Object.fromEntries(Object.entries(exheaders ?? {}).map(([k, v]) => [k, String(v)]));
      context.capture({ url: rurl, envelope: String(data), headers });
      callback(new CapturedOnly('captured, not sent'));
      return Promise.resolve() as never;
    }
    const site: CallSite = context?.site ?? { operation: 'GET', url: rurl, timeoutMs: 0 };
    return super.request(
      rurl,
      data,
      (err, res, body) => {
        if (err || !res) return callback(err);
        if (context) context.status = res.status;
        const received = this.raw.has(res) ? this.raw.get(res) : body;
        const text = typeof received === 'string' ? received : String(received ?? '');
        const refused = data === null || data === undefined ? inspectWsdl(rurl, res.status, text) : inspectAnswer(site, res, text);
        return refused ? callback(refused) : callback(null, res, body);
      },
      exheaders as never,
      exoptions as never,
    );
  }
}

/** Why an answer to a call must not reach the parser, or undefined. */
function inspectAnswer(site: CallSite, res: { status: number; headers: Record<string, unknown> }, text: string): DeliveryError | undefined {
  const { status } = res;
  if (status >= 300 && status < 400) {
    const location = res.headers.location;
    return httpError(status, site, `redirect${location ? ` to ${String(location)}` : ''} not followed: fix transport.endpoint or the WSDL's address`);
  }
  if (!isEnvelope(text)) {
    if (!text.trim() && status < 300) return undefined; // one-way operation: nothing to read
    const title = isHtml(text) ? htmlTitle(text) : undefined;
    const what = isHtml(text) ? `an HTML page${title ? ` "${title}"` : ''}` : text.trim() ? snippet(text, 200) : 'empty body';
    return status < 300 ? DeliveryError.permanent(`not a SOAP answer from ${site.operation} at ${site.url} (http ${status}): ${what}`, { status, code: 'NOT_SOAP' }) : httpError(status, site, what);
  }
  const why = refusal(text);
  if (why) return DeliveryError.permanent(`the answer of ${site.operation} at ${site.url} is refused: ${why}`, { status, code: 'XML_DTD' });
  if (status >= 400 && !hasFault(text)) return httpError(status, site, 'a SOAP envelope without a fault');
  return undefined;
}

/**
 * Why a downloaded WSDL (or imported schema) at `url` must not reach the
 * parser, or undefined. Worded to follow "cannot load the WSDL <url>: ".
 */
export function inspectWsdl(url: string, status: number, text: string): DeliveryError | undefined {
  const page = () => `an HTML page${htmlTitle(text) ? ` "${htmlTitle(text)}"` : ''}`;
  if (status !== 200) {
    const kind = classifyHttpStatus(status);
    const what = text.trim() ? `: ${isHtml(text) ? page() : snippet(text, 200)}` : '';
    return new DeliveryError(kind, `HTTP ${status}${what}`, { status, code: 'WSDL' });
  }
  if (isHtml(text)) return DeliveryError.permanent(`not a WSDL: ${url} answered ${page()} (a login or error page?)`, { status, code: 'WSDL' });
  const why = refusal(text);
  return why ? DeliveryError.permanent(why, { status, code: 'WSDL' }) : undefined;
}
