import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { conflict, invalid } from '../../core/errors.js';
import { auditActor } from '../../core/audit/entry.js';
import { actorOf } from '../../core/model/principal.js';
import type { Services } from '../../core/use-cases/index.js';
import { resyncSinceSchema } from '../../core/model/resync-since.js';
import { allow } from '../auth.js';
import type { GatewayEnv } from '../env.js';
import { codeParam, dossierResourceSchema, json, problems } from '../schemas.js';
import type { Hook } from './hook.js';

/** The operator's handles on national portal sync (core/use-cases/portal-sync.ts, injected by the runtime); absent when sync is off. */
export interface PortalAdmin {
  resend(code: string, actor: string): Promise<void>;
  markResync(since: string, actor?: Record<string, unknown>): Promise<string[]>;
  counts(): Promise<{ pending: number; synced: number; rejected: number; oldestPendingAt: string | null }>;
}

const tags = ['portal'];

const resend = createRoute({
  method: 'post',
  path: '/v1/dossiers/{code}/portal/resend',
  tags,
  summary: 'Resend a dossier the national portal rejected, after a fix: the whole dossier, then the steps it lacks',
  middleware: [allow('admin')] as const,
  request: { params: codeParam },
  responses: { 202: json(dossierResourceSchema, 'queued: portal.state is pending'), ...problems(401, 403, 404, 409) },
});

const resync = createRoute({
  method: 'post',
  path: '/v1/portal/resync',
  tags,
  summary: 'Push again every dossier changed since a date (updates, and only the steps the portal has not acknowledged)',
  middleware: [allow('admin')] as const,
  request: { body: { content: { 'application/json': { schema: z.object({ since: z.string().max(40) }) } }, required: true } },
  responses: { 202: json(z.object({ since: z.string(), marked: z.number().int() }), 'marked; the workers push them'), ...problems(401, 403, 409, 422) },
});

const status = createRoute({
  method: 'get',
  path: '/v1/portal',
  tags,
  summary: 'National portal sync: on or off, dossiers per state',
  middleware: [allow('admin')] as const,
  responses: {
    200: json(
      z.object({
        enabled: z.boolean(),
        pending: z.number().int().optional(),
        synced: z.number().int().optional(),
        rejected: z.number().int().optional(),
        oldestPendingAt: z.string().nullable().optional(),
      }),
      'sync state',
    ),
    ...problems(401, 403),
  },
});

const off = () => conflict('national portal sync is off (PORTAL_BASE_URL is not set)');

export function portalRoutes(services: Services, hook: Hook, portal: PortalAdmin | undefined) {
  const app = new OpenAPIHono<GatewayEnv>({ defaultHook: hook });
  app.openapi(resend, async (c) => {
    const { code } = c.req.valid('param');
    c.set('dossierCode', code);
    if (!portal) throw off();
    const principal = c.get('principal');
    await services.dossiers.load(code, principal);
    await portal.resend(code, actorOf(principal));
    return c.json(await services.dossiers.get(code, principal), 202);
  });
  app.openapi(resync, async (c) => {
    if (!portal) throw off();
    const since = resyncSinceSchema.safeParse(c.req.valid('json').since);
    if (!since.success) throw invalid('invalid since', since.error.issues.map((i) => ({ path: 'since', message: i.message })));
    return c.json({ since: since.data, marked: (await portal.markResync(since.data, auditActor(c.get('principal')))).length }, 202);
  });
  app.openapi(status, async (c) => c.json(portal ? { enabled: true, ...(await portal.counts()) } : { enabled: false }, 200));
  return app;
}
