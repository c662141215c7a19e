import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { DeliveryError, ProblemError } from '../core/errors.js';
import { MappingError } from '../core/mapping-error.js';
import type { Logger } from '../core/logger.js';
import type { InboundSoapCodec } from '../core/ports/index.js';
import type { Services } from '../core/use-cases/index.js';
import { authenticate } from './auth.js';
import { renderDocsPage } from './docs-page.js';
import type { GatewayEnv } from './env.js';
import { problem } from './problem.js';
import { departmentRoutes } from './routes/departments.js';
import { documentRoutes } from './routes/documents.js';
import { dossierRoutes } from './routes/dossiers.js';
import { validationHook } from './routes/hook.js';
import { keyRoutes } from './routes/keys.js';
import { auditRoutes } from './routes/audit.js';
import { deliveryRoutes } from './routes/deliveries.js';
import { soapEventRoutes } from './routes/soap-events.js';
import { portalRoutes, type PortalAdmin } from './routes/portal.js';
import { consoleRoutes } from './console/routes.js';
import { alertRoutes } from './routes/alerts.js';
import { reportRoutes } from './routes/reports.js';
import { procedureRoutes } from './routes/procedures.js';
import { calendarRoutes } from './routes/calendar.js';
import { publicRoutes } from './routes/public.js';
import { jsonBody } from './json-body.js';
import { logRequest, requestLogger } from './request-logger.js';
import { mountMetrics, type HttpMetrics } from './metrics.js';

export interface GatewayOptions {
  bodyLimitBytes: number;
  logger: Logger;
  /** The inbound SOAP envelope format (adapters/soap/inbound-codec.ts), for `/soap/events`. */
  soap: InboundSoapCodec;
  /** National portal sync, when PORTAL_BASE_URL is set. */
  portal?: PortalAdmin;
  /** Read the client address from X-Forwarded-For (the console's sign-in limit); CONSOLE_TRUST_PROXY. */
  trustProxy?: boolean;
  /** Prometheus metrics: every request counted by route pattern, and GET /metrics. */
  metrics?: HttpMetrics;
}

const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'lienthong',
    version: '1',
    description: 'One dossier in, delivered to its department, statuses back. Authenticate with "Authorization: Bearer <api key>".',
  },
};

/** The Hono app: HTTP only. Every handler calls a use-case of `services`. */
export function createGateway(services: Services, options: GatewayOptions) {
  const app = new OpenAPIHono<GatewayEnv>({ defaultHook: validationHook });

  app.use('*', requestId({ headerName: 'x-request-id' }));
  app.use('*', async (c, next) => {
    const started = performance.now();
    c.set('logger', requestLogger(options.logger, c));
    await next();
    logRequest(options.logger, c, performance.now() - started);
  });

  if (options.metrics) mountMetrics(app, options.metrics);
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  // Names each dependency and its state; `database`/`redis` booleans kept for older probes.
  app.get('/readyz', async (c) => {
    const checks = await services.ready();
    const ok = checks.database.state === 'up' && checks.redis.state === 'up';
    return c.json({ status: ok ? 'ready' : 'not ready', database: checks.database.state === 'up', redis: checks.redis.state === 'up', checks }, ok ? 200 : 503);
  });
  app.doc31('/openapi.json', OPENAPI);
  app.get('/docs', (c) => c.html(renderDocsPage(app.getOpenAPI31Document(OPENAPI) as never)));

  const json = jsonBody(options.bodyLimitBytes, (c) =>
    problem(c, 413, `the body is larger than ${options.bodyLimitBytes} bytes; documents go through the document endpoint`),
  );
  // Documents stream to the blob store with their own limit (DOCUMENT_MAX_BYTES).
  // While the database is unreachable, a write answers 503 at once instead of waiting on it.
  app.use('*', async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS' || services.storeUp()) return next();
    if (!c.req.path.startsWith('/v1/') && !c.req.path.startsWith('/soap/')) return next();
    const res = problem(c, 503, 'the database cannot be reached: nothing can be saved now; try again later (see /readyz)');
    res.headers.set('retry-after', '5');
    return res;
  });
  app.use('/v1/*', (c, next) => (/^\/v1\/dossiers\/[^/]+\/documents$/.test(c.req.path) ? next() : json(c, next)));
  app.use('/v1/*', authenticate(services.keys));
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', { type: 'http', scheme: 'bearer' });

  app.route('/', keyRoutes(services, validationHook));
  app.route('/', departmentRoutes(services, validationHook));
  app.route('/', dossierRoutes(services, validationHook));
  app.route('/', documentRoutes(services, validationHook));
  app.route('/', portalRoutes(services, validationHook, options.portal));
  app.route('/', alertRoutes(services, validationHook));
  app.route('/', reportRoutes(services, validationHook));
  app.route('/', procedureRoutes(services, validationHook));
  app.route('/', calendarRoutes(services, validationHook));
  // The published catalog: no key.
  app.route('/', publicRoutes(services));
  app.route('/', auditRoutes(services, validationHook));
  app.route('/', deliveryRoutes(services, validationHook));
  // Inbound SOAP (WS-Security in the envelope, no bearer key); bodies bounded like JSON ones.
  app.use('/soap/*', bodyLimit({ maxSize: options.bodyLimitBytes, onError: (c) => c.text(`the body is larger than ${options.bodyLimitBytes} bytes`, 413) }));
  app.route('/', soapEventRoutes(services, { codec: options.soap }));
  // The operator console (server-rendered pages, its own session cookie).
  app.route('/', consoleRoutes(services, { portal: options.portal, trustProxy: options.trustProxy ?? false }));

  app.notFound((c) => problem(c, 404, `no route for ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    if (err instanceof ProblemError) return problem(c, err.status, err.message, err.errors, err.title);
    if (err instanceof HTTPException) return problem(c, err.status, err.message || undefined);
    if (err instanceof MappingError) {
      // A department's body its own mapping cannot read: the department must fix its body or its mapping.
      const errors = [{ path: err.expression, message: err.message }, ...err.issues.map((i) => ({ path: `${err.expression} → ${i.path}`, message: i.message }))];
      return problem(c, 422, err.message, errors);
    }
    if (err instanceof DeliveryError) {
      // Raised while handling what a department sent (a result it attached): its fault, or ours for now.
      return err.kind === 'permanent' ? problem(c, 422, err.message) : problem(c, 503, `${err.message}; try again later`);
    }
    c.get('logger')?.error({ err: { name: err.name, message: err.message, stack: err.stack } }, 'unhandled error');
    return problem(c, 500, 'an unexpected error occurred; the request id lets an operator find it in the logs');
  });
  return app;
}

export type Gateway = ReturnType<typeof createGateway>;
