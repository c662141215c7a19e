import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { procedureEntrySchema } from '../../core/model/procedure.js';
import type { Services } from '../../core/use-cases/index.js';
import { allow } from '../auth.js';
import type { GatewayEnv } from '../env.js';
import { codeParam, json, problems } from '../schemas.js';
import type { Hook } from './hook.js';

const tags = ['procedures'];

const procedureSchema = z
  .looseObject({ code: z.string(), name: z.string(), processingTime: z.object({ value: z.number(), unit: z.string() }), updatedAt: z.string() })
  .meta({ id: 'Procedure', description: 'A catalog entry as stored' });

const planSchema = z.object({
  ok: z.boolean(),
  problems: z.array(z.object({ where: z.string(), errors: z.array(z.object({ path: z.string(), message: z.string() })) })),
  lines: z.array(z.string()),
  created: z.number().int(),
  changed: z.number().int(),
  unchanged: z.number().int(),
});

const put = createRoute({
  method: 'put',
  path: '/v1/procedures/{code}',
  tags,
  summary: 'Create or replace a procedure of the catalog (its processing time gives due dates)',
  middleware: [allow('admin')] as const,
  request: { params: codeParam, body: { content: { 'application/json': { schema: procedureEntrySchema.meta({ id: 'ProcedureEntry' }) } }, required: true } },
  responses: { 201: json(procedureSchema, 'created'), 200: json(procedureSchema, 'replaced'), ...problems(400, 401, 403, 422) },
});

const list = createRoute({
  method: 'get',
  path: '/v1/procedures',
  tags,
  summary: 'The whole catalog',
  responses: { 200: json(z.object({ items: z.array(procedureSchema) }), 'the catalog'), ...problems(401) },
});

const get = createRoute({
  method: 'get',
  path: '/v1/procedures/{code}',
  tags,
  summary: 'One procedure of the catalog',
  request: { params: codeParam },
  responses: { 200: json(procedureSchema, 'the procedure'), ...problems(401, 404) },
});

const del = createRoute({
  method: 'delete',
  path: '/v1/procedures/{code}',
  tags,
  summary: 'Remove a procedure from the catalog (due dates already given stay)',
  middleware: [allow('admin')] as const,
  request: { params: codeParam },
  responses: { 204: { description: 'deleted' }, ...problems(401, 403, 404) },
});

const apply = createRoute({
  method: 'post',
  path: '/v1/procedures/apply',
  tags,
  summary: 'Load many procedures at once: all checked, then all saved or none (what `lienthong procedures apply` calls)',
  middleware: [allow('admin')] as const,
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({
            procedures: z.array(z.looseObject({ code: z.unknown() })).max(20_000),
            dryRun: z.boolean().default(false),
          }),
        },
      },
      required: true,
    },
  },
  responses: { 200: json(planSchema, 'applied (or, with dryRun, what would change)'), 422: json(planSchema, 'refused: nothing was saved'), ...problems(400, 401, 403) },
});

export function procedureRoutes(services: Services, hook: Hook) {
  const app = new OpenAPIHono<GatewayEnv>({ defaultHook: hook });
  const { procedures } = services;
  app.openapi(apply, async (c) => {
    const body = c.req.valid('json');
    const items = body.procedures.map((p, i) => {
      const { code, ...rest } = p;
      return { code, body: rest, where: `procedures[${i}]${typeof code === 'string' ? ` (${code})` : ''}` };
    });
    const plan = await procedures.apply(items, c.get('principal'), { dryRun: body.dryRun });
    return c.json(plan, plan.ok ? 200 : 422);
  });
  app.openapi(put, async (c) => {
    const { code } = c.req.valid('param');
    const { created, procedure } = await procedures.put(code, c.req.valid('json'), c.get('principal'));
    return c.json(procedure, created ? 201 : 200);
  });
  app.openapi(list, async (c) => c.json({ items: await procedures.list() }, 200));
  app.openapi(get, async (c) => c.json(await procedures.get(c.req.valid('param').code), 200));
  app.openapi(del, async (c) => {
    await procedures.delete(c.req.valid('param').code, c.get('principal'));
    return c.body(null, 204);
  });
  return app;
}
