import { createMiddleware } from 'hono/factory';
import type { Role } from '../core/model/principal.js';
import type { KeyService } from '../core/use-cases/keys.js';
import type { GatewayEnv } from './env.js';
import { problem } from './problem.js';

/** `Authorization: Bearer <api key>` on everything under /v1: missing or unknown → 401. */
export function authenticate(keys: KeyService) {
  return createMiddleware<GatewayEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) return problem(c, 401, 'send an API key as "Authorization: Bearer <key>"');
    const principal = await keys.authenticate(match[1]);
    if (!principal) return problem(c, 401, 'unknown or revoked API key');
    c.set('principal', principal); // the request's log lines name it (request-logger.ts)
    await next();
  });
}

/** A known key without one of `roles` → 403. */
export function allow(...roles: Role[]) {
  return createMiddleware<GatewayEnv>(async (c, next) => {
    const { role } = c.get('principal');
    if (!roles.includes(role)) return problem(c, 403, `the ${role} role may not do this (needs ${roles.join(' or ')})`);
    await next();
  });
}
