import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Services } from '../../core/use-cases/index.js';
import { allow } from '../auth.js';
import type { GatewayEnv } from '../env.js';
import { json, problems } from '../schemas.js';
import type { Hook } from './hook.js';

const tags = ['audit'];

const entrySchema = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    actor: z.record(z.string(), z.unknown()),
    action: z.string(),
    subject: z.string(),
    detail: z.record(z.string(), z.unknown()),
    hash: z.string().nullable().describe('null until sealed into the chain (shortly after it is written)'),
  })
  .meta({ id: 'AuditEntry' });

const list = createRoute({
  method: 'get',
  path: '/v1/audit',
  tags,
  summary: 'The audit log, newest first',
  middleware: [allow('admin')] as const,
  request: {
    query: z.object({
      subject: z.string().max(200).optional().describe('e.g. dossier:000.00.00.H63-261128-0001, department:000.00.15.H63, key:key_…'),
      action: z.string().max(100).optional().describe('e.g. dossier.accepted, department.saved, timeline.delivered'),
      since: z.string().max(40).optional().describe('ISO 8601: entries at or after it'),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: z.string().max(30).optional(),
    }),
  },
  responses: { 200: json(z.object({ items: z.array(entrySchema), nextCursor: z.string().nullable() }), 'entries'), ...problems(401, 403, 422) },
});

const head = createRoute({
  method: 'get',
  path: '/v1/audit/head',
  tags,
  summary: 'The last sealed entry of the chain, and how many entries wait to be sealed',
  middleware: [allow('admin')] as const,
  responses: { 200: json(z.object({ seq: z.number().int(), hash: z.string(), unsealed: z.number().int() }), 'the head'), ...problems(401, 403) },
});

export function auditRoutes(services: Services, hook: Hook) {
  const app = new OpenAPIHono<GatewayEnv>({ defaultHook: hook });
  app.openapi(list, async (c) => c.json(await services.audit.list(c.req.valid('query')), 200));
  app.openapi(head, async (c) => c.json(await services.audit.head(), 200));
  return app;
}
