import { DeliveryError, type FailureKind } from '../../core/errors.js';

/**
 * An HTTP answer that is not 2xx: `transient` for 408, 425, 429 and 5xx (the
 * department is busy or down: try again later), `permanent` for everything
 * else, 401/403 included (credentials will not fix themselves) and 3xx
 * (redirects are not followed: the configured URL is wrong).
 */
export function classifyHttpStatus(status: number): FailureKind {
  return status === 408 || status === 425 || status === 429 || status >= 500 ? 'transient' : 'permanent';
}

/** The department's answer body as one short line for an error message. */
export function snippet(body: string, max = 300): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** `HTTP 503 from POST http://host/applications: <first 300 characters of the answer>` */
export function httpError(status: number, request: { method: string; url: string }, body: string): DeliveryError {
  const text = snippet(body);
  const message = `HTTP ${status} from ${request.method} ${request.url}${text ? `: ${text}` : ''}`;
  return new DeliveryError(classifyHttpStatus(status), message, { status, code: `HTTP_${status}` });
}

/** What was being attempted when a request failed, for the message. */
export interface FailedRequest {
  method: string;
  url: string;
  timeoutMs: number;
  /** True when our own timeout fired. */
  timedOut?: boolean;
  /** True when the caller's signal aborted the request. */
  aborted?: boolean;
}

const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  UND_ERR_SOCKET: 'connection closed by the department',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed, try again',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no answer headers in time',
  UND_ERR_BODY_TIMEOUT: 'answer body stalled',
};

/** The first `code` along an error's `cause` chain (fetch wraps the socket error). */
function codeOf(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function nameOf(err: unknown): string | undefined {
  return err && typeof err === 'object' && typeof (err as { name?: unknown }).name === 'string' ? (err as { name: string }).name : undefined;
}

/**
 * A failed `fetch` (nothing usable came back) as a `DeliveryError`, almost
 * always `transient`: refused, reset, DNS, TLS, `UND_ERR_*`, our timeout
 * (`timeout after 10000 ms (POST http://...)`) and the caller's abort
 * (`aborted (...)`, e.g. a worker shutting down). A `DeliveryError` passes
 * through. The message names the department's address, never our payload.
 */
export function classifyNetworkError(err: unknown, request: FailedRequest): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const at = `${request.method} ${request.url}`;
  const name = nameOf(err);
  const timeout = () => DeliveryError.transient(`timeout after ${request.timeoutMs} ms (${at})`, { code: 'TIMEOUT', cause: err });
  const aborted = () => DeliveryError.transient(`aborted (${at})`, { code: 'ABORTED', cause: err });
  if (request.timedOut) return timeout();
  if (request.aborted) return aborted();
  if (name === 'TimeoutError') return timeout();
  if (name === 'AbortError') return aborted();
  const code = codeOf(err);
  const cause = (err as { cause?: { message?: unknown } } | undefined)?.cause;
  if (typeof cause?.message === 'string' && cause.message === 'bad port') {
    return DeliveryError.permanent(`port blocked by fetch, use another port (${at})`, { code: 'BAD_PORT', cause: err });
  }
  let origin = request.url;
  try {
    origin = new URL(request.url).origin;
  } catch {
    // keep the url as given
  }
  if (code && NETWORK[code]) return DeliveryError.transient(`${NETWORK[code]} (${origin})`, { code, cause: err });
  if (code && /CERT|TLS|SSL/.test(code)) return DeliveryError.transient(`TLS error ${code} (${origin})`, { code, cause: err });
  const detail = typeof cause?.message === 'string' ? cause.message : err instanceof Error ? err.message : String(err);
  return DeliveryError.transient(`network error${code ? ` ${code}` : ''}: ${detail} (${at})`, { ...(code ? { code } : {}), cause: err });
}
