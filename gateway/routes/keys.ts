import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { ROLES } from '../../core/model/principal.js';
import type { Services } from '../../core/use-cases/index.js';
import { allow } from '../auth.js';
import type { GatewayEnv } from '../env.js';
import { apiKeyCreatedSchema, apiKeyCreateSchema, idParam, json, problems } from '../schemas.js';
import type { Hook } from './hook.js';

const create = createRoute({
  method: 'post',
  path: '/v1/api-keys',
  tags: ['keys'],
  summary: 'Create an API key (shown once, stored as a hash)',
  middleware: [allow('admin')] as const,
  request: { body: { content: { 'application/json': { schema: apiKeyCreateSchema } }, required: true } },
  responses: { 201: json(apiKeyCreatedSchema, 'the key, shown this once'), ...problems(400, 401, 403, 422) },
});

/** A key as listed: never its secret or its hash. */
const apiKeyListingSchema = z
  .object({
    id: z.string(),
    role: z.enum(ROLES),
    department: z.string().nullable().describe('the department a department key is bound to'),
    name: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable().describe('when the key was last accepted (updated at most once a minute)'),
    revoked: z.boolean(),
  })
  .meta({
    id: 'ApiKey',
    example: { id: 'key_3f9a0c1d2b4e5f60', role: 'department', department: '000.00.15.H63', name: 'skhdt', createdAt: '2026-11-28T02:15:00.000Z', lastUsedAt: '2026-11-28T03:00:12.000Z', revoked: false },
  });

const list = createRoute({
  method: 'get',
  path: '/v1/api-keys',
  tags: ['keys'],
  summary: 'List API keys (id, role, department, name, createdAt, lastUsedAt, revoked; never a secret)',
  description: 'Role: admin. Revoked keys are listed too, marked `revoked: true`, newest first.',
  middleware: [allow('admin')] as const,
  responses: { 200: json(z.object({ items: z.array(apiKeyListingSchema) }), 'every key, newest first'), ...problems(401, 403) },
});

const revoke = createRoute({
  method: 'delete',
  path: '/v1/api-keys/{id}',
  tags: ['keys'],
  summary: 'Revoke an API key',
  middleware: [allow('admin')] as const,
  request: { params: idParam },
  responses: { 204: { description: 'revoked' }, ...problems(401, 403, 404) },
});

export function keyRoutes(services: Services, hook: Hook) {
  const app = new OpenAPIHono<GatewayEnv>({ defaultHook: hook });
  app.openapi(create, async (c) => c.json(await services.keys.create(c.req.valid('json'), c.get('principal')), 201));
  app.openapi(list, async (c) => c.json({ items: (await services.keys.list()) as Array<z.infer<typeof apiKeyListingSchema>> }, 200));
  app.openapi(revoke, async (c) => {
    const { id } = c.req.valid('param');
    await services.keys.revoke(id, c.get('principal'));
    // Its console sessions end now (each console request also re-checks the key).
    await services.console.sessions.endSessionsOf(id);
    return c.body(null, 204);
  });
  return app;
}
