import type { Adapter, CheckResult, OperationAnswer, OutboundOperation } from '../../core/adapter.js';
import { Readable } from 'node:stream';
import { request as undiciRequest, type Dispatcher } from 'undici';
import { DeliveryError } from '../../core/errors.js';
import { deadline, tlsDispatcher } from '../http/client.js';
import { multipartBody } from './multipart.js';
import { drop, header, parseAnswer, readText, type Answer } from './answer.js';
import { classifyNetworkError, httpError, snippet } from './classify.js';
import type { RestDepartmentConfig, RestOperation } from './config.js';
import { buildRequest, commonHeaders, maskHeaders, type WireRequest } from './wire.js';

/** How much of a non-2xx answer is read, to quote its beginning. */
const ERROR_BODY_BYTES = 64 * 1024;

/** What `prepare` answers: the request exactly as `send` would make it, secrets masked. */
export interface RestPreview {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The JSON value when the body is JSON, the text otherwise; absent for GET/DELETE. */
  body?: unknown;
}

/**
 * A `rest` department. HTTP goes through undici's `request` (a fifth of
 * `fetch`'s CPU per delivery: no WHATWG Request, Response and web streams
 * around each call). No private dispatcher unless `transport.tls` asks for a
 * client certificate (then one undici agent per adapter carries it, closed
 * with the adapter): undici's global one already keeps connections alive,
 * and our own timeout bounds connecting as well as answering.
 * Redirects are not followed (undici's `request` never does): a 3xx is a permanent
 * error telling the operator to fix `baseUrl`, rather than silently replaying
 * a dossier's personal data to another address (or turning a POST into a GET).
 */
export class RestAdapter implements Adapter {
  /** Set when the department requires a client certificate (`transport.tls`). */
  private readonly dispatcher: Dispatcher | undefined;
  private closed = false;

  constructor(private readonly config: RestDepartmentConfig) {
    this.dispatcher = tlsDispatcher(config.transport.tls);
  }

  private operation(op: OutboundOperation): RestOperation {
    const operation = this.config.operations[op.operation];
    if (!operation) throw DeliveryError.permanent(`operation ${op.operation} is not configured for this department`, { code: 'NO_OPERATION' });
    return operation;
  }

  async prepare(op: OutboundOperation): Promise<RestPreview> {
    const request = buildRequest(this.config.transport, this.operation(op), op, false);
    const preview: RestPreview = { method: request.method, url: request.url, headers: maskHeaders(request.headers, this.config.transport.auth) };
    if (request.body !== undefined || request.multipart) preview.body = request.content;
    return preview;
  }

  async send(op: OutboundOperation, signal?: AbortSignal): Promise<OperationAnswer> {
    const request = buildRequest(this.config.transport, this.operation(op), op);
    if (request.multipart) request.body = await multipartBody(request.multipart, op.payload, op.documents);
    const where = `${request.method} ${request.url}`;
    return this.exchange(request, signal, async (answer) => {
      const status = answer.statusCode;
      if (status >= 200 && status <= 299) {
        return { answer: parseAnswer(await readText(answer, where), header(answer, 'content-type')), status };
      }
      // Only a snippet of a refusal is quoted: read a little, and never let the body change its classification.
      const text = await readText(answer, where, ERROR_BODY_BYTES).catch(() => '');
      const location = status >= 300 && status < 400 ? header(answer, 'location') : null;
      throw httpError(status, request, location ? `redirect to ${location} not followed: fix transport.baseUrl or the path` : text);
    });
  }

  async check(): Promise<CheckResult> {
    const started = performance.now();
    const latencyMs = () => Math.round(performance.now() - started);
    const { baseUrl, auth } = this.config.transport;
    const probe = (method: 'HEAD' | 'GET') =>
      this.exchange({ method, url: baseUrl, headers: commonHeaders(auth) }, undefined, async (answer) => {
        const text = method === 'GET' ? await readText(answer, `GET ${baseUrl}`, ERROR_BODY_BYTES).catch(() => '') : '';
        return { status: answer.statusCode, text };
      });
    let method: 'HEAD' | 'GET' = 'HEAD';
    try {
      let answer = await probe(method);
      if (answer.status === 405 || answer.status === 501) answer = await probe((method = 'GET'));
      const said = `HTTP ${answer.status} from ${method} ${baseUrl}`;
      if (answer.status >= 500) return { ok: false, latencyMs: latencyMs(), detail: answer.text ? `${said}: ${snippet(answer.text)}` : said };
      let detail = said;
      if (answer.status === 401 || answer.status === 403) {
        detail += ` (reachable, but the base URL refused ${auth.type === 'none' ? 'us: no auth is configured' : 'our credentials'})`;
      } else if (answer.status >= 300) {
        detail += ' (reachable: the department answered, though the base URL itself is no resource)';
      }
      return { ok: true, latencyMs: latencyMs(), detail };
    } catch (err) {
      const failed = classifyNetworkError(err, { method, url: baseUrl, timeoutMs: this.config.transport.timeoutMs });
      return { ok: false, latencyMs: latencyMs(), detail: failed.message };
    }
  }

  async close(): Promise<void> {
    // Without a client certificate nothing is held: connections belong to Node's global dispatcher.
    if (this.dispatcher && !this.closed) {
      this.closed = true;
      await this.dispatcher.close();
    }
  }

  /**
   * One request with our timeout and the caller's signal; `read` consumes
   * the answer under the same signal. A streamed body (multipart documents,
   * up to gigabytes) is read only as fast as the socket drains, and its
   * timeout is an idle one (no progress for `timeoutMs`), not a total one.
   */
  private async exchange<T>(request: WireRequest, signal: AbortSignal | undefined, read: (answer: Answer) => Promise<T>): Promise<T> {
    const timeoutMs = this.config.transport.timeoutMs;
    const streamed = request.body instanceof Readable;
    const until = deadline(timeoutMs, signal);
    const stop = streamed ? signal : until.signal;
    try {
      const answer = await undiciRequest(request.url, {
        method: request.method as Dispatcher.HttpMethod,
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        ...(stop ? { signal: stop } : {}),
        ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
      });
      try {
        return await read(answer);
      } finally {
        drop(answer);
      }
    } catch (err) {
      if (err instanceof DeliveryError) throw err;
      const timedOut = until.timedOut() && !streamed;
      throw classifyNetworkError(err, { method: request.method, url: request.url, timeoutMs, timedOut, aborted: !timedOut && (signal?.aborted ?? false) });
    }
  }
}
