import type { Context } from 'hono';
import type { FieldIssue } from '../core/errors.js';

/** An RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldIssue[];
  requestId?: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(c: Context, status: number, detail?: string, errors?: FieldIssue[], title?: string): Response {
  const body: Problem = {
    type: 'about:blank',
    title: title ?? TITLES[status] ?? 'Error',
    status,
    ...(detail ? { detail } : {}),
    ...(errors ? { errors } : {}),
    ...(c.get('requestId') ? { requestId: c.get('requestId') } : {}),
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}) },
  });
}
