import type { FieldIssue } from '../core/errors.js';
import { CliError, type GatewayTarget } from './cli-support.js';

/** A problem+json answer of the gateway, as the CLI shows it. */
export class ApiError extends CliError {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly problem: { detail?: string; title?: string; errors?: FieldIssue[] },
  ) {
    super(
      `HTTP ${status}: ${problem.detail ?? problem.title ?? 'failed'}${hint(status)}`,
      1,
      (problem.errors ?? []).map((e) => `    ${e.path}: ${e.message}`),
    );
  }
  get errors() {
    return this.problem.errors;
  }
}

function hint(status: number): string {
  if (status === 401) return ' (pass --key, or set LIENTHONG_API_KEY or ADMIN_API_KEY)';
  if (status === 403) return ' (this key may not do that: use an admin key, or the department\'s own)';
  return '';
}

export type GatewayCall = (method: string, path: string, body?: unknown) => Promise<any>;

/** JSON calls to a running gateway; every failure is a one-line `CliError` that says what to do. */
export function gatewayClient({ url, key }: GatewayTarget): GatewayCall {
  return async (method, path, body) => {
    const res = await fetch(url.replace(/\/$/, '') + path, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).catch((err: Error & { cause?: { code?: string } }) => {
      throw new CliError(`cannot reach the gateway at ${url} (${err.cause?.code ?? err.message}): start it (npx lienthong start), or set --url / LIENTHONG_URL`);
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      throw new CliError(`${url} answered HTTP ${res.status} with something that is not JSON: is --url / LIENTHONG_URL the lienthong gateway?`);
    }
    if (!res.ok) throw new ApiError(res.status, (json ?? {}) as ApiError['problem']);
    return json;
  };
}
