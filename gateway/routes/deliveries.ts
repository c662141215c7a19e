import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { DELIVERY_STATES } from '../../core/model/status.js';
import type { Services } from '../../core/use-cases/index.js';
import { allow } from '../auth.js';
import type { GatewayEnv } from '../env.js';
import { json, problems } from '../schemas.js';
import type { Hook } from './hook.js';

const tags = ['deliveries'];
const operation = z.enum(['submit', 'supplement', 'withdraw']);

const itemSchema = z
  .object({
    dossierCode: z.string(),
    department: z.string(),
    operation,
    state: z.enum(DELIVERY_STATES),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'DeliveryItem' });

const list = createRoute({
  method: 'get',
  path: '/v1/deliveries',
  tags,
  summary: 'Deliveries in a state (default failed), newest first; a department key sees its own',
  middleware: [allow('admin', 'center', 'department')] as const,
  request: {
    query: z.object({
      state: z.enum(DELIVERY_STATES).default('failed'),
      department: z.string().max(100).optional(),
      operation: operation.optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: z.string().max(30).optional(),
    }),
  },
  responses: { 200: json(z.object({ items: z.array(itemSchema), nextCursor: z.string().nullable() }), 'deliveries'), ...problems(401, 403, 422) },
});

const retry = createRoute({
  method: 'post',
  path: '/v1/deliveries/retry',
  tags,
  summary: 'Queue again every failed delivery matching the filters (all of them together), each with a timeline entry; dryRun only counts',
  middleware: [allow('admin', 'center')] as const,
  request: {
    body: {
      content: {
        'application/json': {
          schema: z
            .object({
              department: z.string().max(100).optional(),
              operation: operation.optional(),
              failedAfter: z.iso.datetime({ offset: true }).optional(),
              failedBefore: z.iso.datetime({ offset: true }).optional(),
              errorContains: z.string().min(1).max(500).optional(),
              dryRun: z.boolean().optional(),
            })
            .strict(),
        },
      },
      required: true,
    },
  },
  responses: { 202: json(z.object({ matched: z.number().int(), requeued: z.number().int() }), 'queued again (or counted, with dryRun)'), ...problems(400, 401, 403, 422) },
});

export function deliveryRoutes(services: Services, hook: Hook) {
  const app = new OpenAPIHono<GatewayEnv>({ defaultHook: hook });
  app.openapi(list, async (c) => c.json(await services.deliveries.list(c.req.valid('query'), c.get('principal')), 200));
  app.openapi(retry, async (c) => c.json(await services.deliveries.retry(c.req.valid('json'), c.get('principal')), 202));
  return app;
}
