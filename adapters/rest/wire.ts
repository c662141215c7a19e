import type { OutboundOperation } from '../../core/adapter.js';
import type { Readable } from 'node:stream';
import { DeliveryError } from '../../core/errors.js';
import { multipartPreview, newBoundary } from './multipart.js';
import { MASK } from '../../core/secrets.js';
import type { HttpMethod, RestAuth, RestOperation, RestTransport } from './config.js';

/** One HTTP request as it goes on the wire. */
export interface WireRequest {
  method: HttpMethod | 'HEAD';
  url: string;
  headers: Record<string, string>;
  /** Encoded body; absent for GET and DELETE. A stream for multipart. */
  body?: string | Readable;
  /** What `body` encodes: the JSON value, or the text itself. */
  content?: unknown;
  /** Set when the body is multipart: its boundary. */
  multipart?: string;
}

const PLACEHOLDER = /\{reference\}/g;

/**
 * `baseUrl` (without its trailing slashes) + `path`, `{reference}` filled with
 * the URL-encoded department reference. Without a reference: `strict` throws a
 * permanent error, otherwise the placeholder is left visible (previews).
 */
export function buildUrl(baseUrl: string, path: string, reference: string | undefined, what: string, strict = true): string {
  const base = baseUrl.replace(/\/+$/, '');
  if (!path.includes('{reference}')) return base + path;
  if (reference) return base + path.replace(PLACEHOLDER, encodeURIComponent(reference));
  if (strict) throw DeliveryError.permanent(`no department reference yet for ${what} (its path needs {reference})`, { code: 'NO_REFERENCE' });
  return base + path;
}

/** The auth header of `auth`, with its real value. */
export function authHeader(auth: RestAuth): [string, string] | undefined {
  switch (auth.type) {
    case 'bearer':
      return ['Authorization', `Bearer ${auth.token}`];
    case 'basic':
      return ['Authorization', `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`];
    case 'header':
      return [auth.name, auth.value];
    default:
      return undefined;
  }
}

/** Headers of every request to the department: `Accept` and the auth header. */
export function commonHeaders(auth: RestAuth): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const header = authHeader(auth);
  if (header) headers[header[0]] = header[1];
  return headers;
}

/** The request for `op`, as `send` puts it on the wire (`strict`) or `prepare` shows it. */
export function buildRequest(transport: RestTransport, operation: RestOperation, op: OutboundOperation, strict = true): WireRequest {
  const what = `${op.operation} of dossier ${op.dossierCode}`;
  const url = buildUrl(transport.baseUrl, operation.path, op.reference, what, strict);
  const headers: Record<string, string> = { ...commonHeaders(transport.auth), 'Idempotency-Key': op.idempotencyKey, 'X-Dossier-Code': op.dossierCode };
  const request: WireRequest = { method: operation.method, url, headers };
  if (operation.method === 'GET' || operation.method === 'DELETE' || op.payload === undefined) return request;
  if (operation.documents === 'multipart') {
    const boundary = newBoundary();
    headers['Content-Type'] = `multipart/form-data; boundary=${boundary}`;
    // The body stream is made by `send` (it reads documents); previews show the parts.
    const docs = op.documents?.list() ?? (op.operation === 'submit' ? op.message.dossier.documents : (op.message.supplement?.documents ?? []));
    return { ...request, multipart: boundary, content: { parts: multipartPreview(undefined, docs), dossier: op.payload } };
  }
  if (typeof op.payload === 'string') {
    headers['Content-Type'] = 'text/plain; charset=utf-8';
    return { ...request, body: op.payload, content: op.payload };
  }
  headers['Content-Type'] = 'application/json; charset=utf-8';
  return { ...request, body: JSON.stringify(op.payload), content: op.payload };
}

/** `headers` with the auth header's value replaced by the mask. */
export function maskHeaders(headers: Record<string, string>, auth: RestAuth): Record<string, string> {
  const secret = authHeader(auth)?.[0];
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, k === secret ? MASK : v]));
}
