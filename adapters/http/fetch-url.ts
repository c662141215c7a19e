import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DeliveryError } from '../../core/errors.js';
import { classifyHttpStatus } from './failure.js';

export interface FetchUrlOptions {
  timeoutMs: number;
  maxBytes: number;
}

/** Where a URL points, without its query string (which may carry tokens). */
const where = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
};

/**
 * Open a document or result URL as a stream. Failures are classified:
 * network, timeout, 408/429/5xx are transient; other 4xx, a too large
 * announced size and non-http(s) URLs are permanent. The size limit is also
 * enforced while streaming by the blob store (a server may lie or omit it).
 */
export async function fetchUrl(url: string, options: FetchUrlOptions): Promise<Readable> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw DeliveryError.permanent(`not a URL: ${where(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw DeliveryError.permanent(`only http(s) URLs can be fetched, not ${parsed.protocol}`);
  let res: Response;
  try {
    res = await globalThis.fetch(url, { signal: AbortSignal.timeout(options.timeoutMs), redirect: 'follow' });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const why = e.name === 'TimeoutError' ? `timeout after ${options.timeoutMs} ms` : (e.cause?.code ?? e.message);
    throw DeliveryError.transient(`cannot fetch ${where(url)}: ${why}`, { cause: err });
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => {});
    const kind = classifyHttpStatus(res.status);
    throw new DeliveryError(kind, `HTTP ${res.status} fetching ${where(url)}`, { status: res.status });
  }
  const announced = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(announced) && announced > options.maxBytes) {
    await res.body.cancel().catch(() => {});
    throw DeliveryError.permanent(`${where(url)} is ${announced} bytes, more than the ${options.maxBytes} allowed`);
  }
  return Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
}
