import type { Context } from 'hono';
import type { Logger } from '../core/logger.js';
import type { GatewayEnv } from './env.js';

/** What every log line of a request carries: its id and, once authenticated, who sent it. */
function bindingsOf(c: Context<GatewayEnv>): Record<string, unknown> {
  const principal = c.get('principal') as GatewayEnv['Variables']['principal'] | undefined;
  return { requestId: c.get('requestId'), ...(principal ? { role: principal.role, key: principal.keyId ?? principal.name } : {}) };
}

/**
 * The request's logger (`c.get('logger')`): a child of `parent` bound to the
 * request, made only when a handler first logs through it. Most requests log
 * nothing but their access line, and a pino child (with its redaction paths)
 * costs more than the rest of the line.
 */
export function requestLogger(parent: Logger, c: Context<GatewayEnv>): Logger {
  let child: Logger | undefined;
  const real = () => (child ??= parent.child(bindingsOf(c)));
  return {
    info: (obj, msg) => real().info(obj, msg),
    warn: (obj, msg) => real().warn(obj, msg),
    error: (obj, msg) => real().error(obj, msg),
    debug: (obj, msg) => real().debug(obj, msg),
    child: (bindings) => real().child(bindings),
  };
}

/** The access line of a request, on `parent` itself (no child logger). */
export function logRequest(parent: Logger, c: Context<GatewayEnv>, ms: number): void {
  const line = {
    ...bindingsOf(c),
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    ms: Math.round(ms * 10) / 10,
    ...(c.get('dossierCode') ? { dossierCode: c.get('dossierCode') } : {}),
    ...c.get('logFields'),
  };
  if (c.res.status >= 500) parent.error(line, 'request failed');
  else parent.info(line, 'request');
}
