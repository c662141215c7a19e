import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
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
  app.openapi(revoke, async (c) => {
    const { id } = c.req.valid('param');
    await services.keys.revoke(id, c.get('principal'));
    // Its console sessions end now (each console request also re-checks the key).
    await services.console.sessions.endSessionsOf(id);
    return c.body(null, 204);
  });
  return app;
}
