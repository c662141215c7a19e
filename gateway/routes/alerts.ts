import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { ALERT_KINDS, ALERT_STATES } from '../../core/follow-up/alert.js';
import type { Services } from '../../core/use-cases/index.js';
import { allow } from '../auth.js';
import type { GatewayEnv } from '../env.js';
import { json, problems } from '../schemas.js';
import type { Hook } from './hook.js';

const alertSchema = z
  .object({
    id: z.string(),
    kind: z.enum(ALERT_KINDS),
    state: z.enum(ALERT_STATES),
    dossierCode: z.string().optional(),
    department: z.string().optional(),
    openedAt: z.string(),
    resolvedAt: z.string().optional(),
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Alert', description: 'One alert per condition: opened once, resolved by itself when the condition clears' });

const list = createRoute({
  method: 'get',
  path: '/v1/alerts',
  tags: ['alerts'],
  summary: 'Alerts, newest first (a department key sees its own department’s)',
  middleware: [allow('admin', 'center', 'department')] as const,
  request: {
    query: z.object({
      state: z.enum(ALERT_STATES).optional(),
      kind: z.enum(ALERT_KINDS).optional(),
      department: z.string().max(35).optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(200),
      cursor: z.string().regex(/^\d{1,18}$/, 'must be the nextCursor of a previous page').optional(),
    }),
  },
  responses: {
    200: json(z.object({ items: z.array(alertSchema), nextCursor: z.string().nullable() }), 'one page of alerts'),
    ...problems(401, 403, 422),
  },
});

export function alertRoutes(services: Services, hook: Hook) {
  const app = new OpenAPIHono<GatewayEnv>({ defaultHook: hook });
  app.openapi(list, async (c) => {
    const { state, kind, department, limit, cursor } = c.req.valid('query');
    const items = await services.alerts.list(
      { limit: limit + 1, ...(state ? { state } : {}), ...(kind ? { kind } : {}), ...(department ? { department } : {}), ...(cursor ? { cursor } : {}) },
      c.get('principal'),
    );
    const page = items.slice(0, limit);
    return c.json({ items: page, nextCursor: items.length > limit ? (page.at(-1)?.id ?? null) : null }, 200);
  });
  return app;
}
