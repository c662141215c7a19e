import type { Context, Hono } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { GatewayEnv } from './env.js';
import { problem } from './problem.js';

/** The metrics the gateway records and serves (runtime/metrics.ts implements it with prom-client). */
export interface HttpMetrics {
  httpRequest(method: string, route: string, status: number, seconds: number): void;
  /** Is this `Authorization` header allowed to scrape (METRICS_TOKEN)? */
  authorized(header: string | undefined): boolean;
  scrape(): Promise<{ contentType: string; body: string }>;
}

/**
 * The route pattern that answered (`/v1/dossiers/:code`), never the raw path:
 * the last matched route that is not a wildcard middleware; `unmatched` for a 404 of no route.
 */
export function routePattern(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const path = routes[i]?.path;
    if (path && !path.endsWith('*')) return path;
  }
  return 'unmatched';
}

/** Count and time every request by its pattern; serve `GET /metrics` (Prometheus text). */
export function mountMetrics(app: Hono<GatewayEnv>, metrics: HttpMetrics): void {
  app.use('*', async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      metrics.httpRequest(c.req.method, routePattern(c), c.res.status, (performance.now() - started) / 1000);
    }
  });
  app.get('/metrics', async (c) => {
    if (!metrics.authorized(c.req.header('authorization'))) return problem(c, 401, 'send the metrics token as "Authorization: Bearer <METRICS_TOKEN>"');
    const { contentType, body } = await metrics.scrape();
    return c.body(body, 200, { 'content-type': contentType });
  });
}
