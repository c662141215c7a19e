import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { forbidden, invalid, notFound } from '../../core/errors.js';
import { departmentConfigSchema } from '../../core/model/department.js';
import type { Principal } from '../../core/model/principal.js';
import type { Services } from '../../core/use-cases/index.js';
import { previewRequestSchema } from '../../core/use-cases/preview.js';
import { allow } from '../auth.js';
import type { GatewayEnv } from '../env.js';
import { checkResultSchema, departmentViewSchema, eventOutcomeSchema, healthSchema, idParam, json, problems } from '../schemas.js';
import type { Hook } from './hook.js';

const tags = ['departments'];

/** Admin, or the key of that very department (any other department: 404, as if it did not exist). */
function ownOrAdmin(p: Principal, id: string) {
  if (p.role === 'admin') return;
  if (p.role === 'department' && p.departmentId === id) return;
  if (p.role === 'department') throw notFound(`department ${id}`);
  throw forbidden(`the ${p.role} role may not do this`);
}

const put = createRoute({
  method: 'put',
  path: '/v1/departments/{id}',
  tags,
  summary: "Register or replace a department (a new version each time); a department's own key may update it, not its procedures or enabled flag",
  middleware: [allow('admin', 'department')] as const,
  request: {
    params: idParam,
    query: z.object({ dryRun: z.enum(['true', 'false']).optional().describe('check everything, save nothing, answer the changes') }),
    body: { content: { 'application/json': { schema: departmentConfigSchema.meta({ id: 'DepartmentConfig' }) } }, required: true },
  },
  responses: {
    201: json(departmentViewSchema, 'created'),
    200: json(departmentViewSchema, 'replaced'),
    ...problems(400, 401, 403, 409, 422),
  },
});

const list = createRoute({
  method: 'get',
  path: '/v1/departments',
  tags,
  summary: 'All departments',
  middleware: [allow('admin')] as const,
  responses: { 200: json(z.object({ items: z.array(departmentViewSchema) }), 'departments'), ...problems(401, 403) },
});

const get = createRoute({
  method: 'get',
  path: '/v1/departments/{id}',
  tags,
  summary: 'One department (secrets masked), with its health: circuit breaker state and pause',
  request: { params: idParam },
  responses: { 200: json(departmentViewSchema, 'the department'), ...problems(401, 403, 404) },
});

const del = createRoute({
  method: 'delete',
  path: '/v1/departments/{id}',
  tags,
  summary: 'Disable a department; its dossiers stay readable',
  middleware: [allow('admin')] as const,
  request: { params: idParam },
  responses: { 204: { description: 'disabled' }, ...problems(401, 403, 404) },
});

const check = createRoute({
  method: 'post',
  path: '/v1/departments/{id}/check',
  tags,
  summary: "Try the department's transport",
  request: { params: idParam },
  responses: { 200: json(checkResultSchema, 'outcome'), ...problems(401, 403, 404) },
});

const events = createRoute({
  method: 'post',
  path: '/v1/departments/{id}/events',
  tags,
  summary: "A department pushes an event in its own shape; its callback.event mapping reads it",
  request: {
    params: idParam,
    body: { content: { 'application/json': { schema: z.unknown().meta({ description: "the department's own JSON" }) } }, required: true },
  },
  responses: { 200: json(eventOutcomeSchema, 'applied, or refused with a reason'), ...problems(400, 401, 403, 404, 422) },
});

const pauseRoute = (action: 'pause' | 'resume') =>
  createRoute({
    method: 'post',
    path: `/v1/departments/{id}/${action}`,
    tags,
    summary: action === 'pause' ? 'Stop deliveries to the department by hand (kept across restarts); dossiers wait as pending' : 'Restart deliveries to a paused department',
    middleware: [allow('admin', 'center')] as const,
    request: { params: idParam },
    responses: { 200: json(z.object({ id: z.string(), health: healthSchema }), 'the department health now'), ...problems(401, 403, 404) },
  });
const pause = pauseRoute('pause');
const resume = pauseRoute('resume');

const versionParams = z.object({ id: z.string().max(100), n: z.coerce.number().int().positive() });
const versionItem = z.object({ version: z.number().int(), changedAt: z.string(), changedBy: z.string(), changes: z.array(z.string()) });

const versions = createRoute({
  method: 'get',
  path: '/v1/departments/{id}/versions',
  tags,
  summary: 'Kept configuration versions, newest first: who changed what, and when',
  request: { params: idParam },
  responses: { 200: json(z.object({ items: z.array(versionItem) }), 'versions'), ...problems(401, 403, 404) },
});

const version = createRoute({
  method: 'get',
  path: '/v1/departments/{id}/versions/{n}',
  tags,
  summary: 'One kept version (secrets masked)',
  request: { params: versionParams },
  responses: { 200: json(departmentViewSchema.partial(), 'the version'), ...problems(401, 403, 404) },
});

const restore = createRoute({
  method: 'post',
  path: '/v1/departments/{id}/versions/{n}/restore',
  tags,
  summary: 'Save version n again as a new version',
  request: { params: versionParams },
  responses: { 200: json(departmentViewSchema, 'the department, at its new version'), ...problems(401, 403, 404, 409, 422) },
});

const preview = createRoute({
  method: 'post',
  path: '/v1/departments/{id}/preview',
  tags,
  summary: 'What a dossier would become on the wire, or what an answer would become as an event; nothing is sent',
  request: { params: idParam, body: { content: { 'application/json': { schema: previewRequestSchema } }, required: true } },
  responses: { 200: json(z.looseObject({ operation: z.string(), version: z.number().int() }), 'the preview'), ...problems(400, 401, 403, 404, 422) },
});

export function departmentRoutes(services: Services, hook: Hook) {
  const app = new OpenAPIHono<GatewayEnv>({ defaultHook: hook });
  const svc = services.departments;
  app.openapi(put, async (c) => {
    const { id } = c.req.valid('param');
    ownOrAdmin(c.get('principal'), id);
    // Validated in full (transport, mappings) by the service, from the raw body so that issue paths are exact.
    const dryRun = c.req.valid('query').dryRun === 'true';
    const { created, changes, department } = await svc.put(id, await c.req.json(), c.get('principal'), { dryRun });
    if (dryRun) return c.json({ dryRun: true, created, changes, department } as never, 200);
    return c.json(department, created ? 201 : 200);
  });
  app.openapi(list, async (c) => c.json({ items: await svc.list() }, 200));
  app.openapi(get, async (c) => {
    const { id } = c.req.valid('param');
    ownOrAdmin(c.get('principal'), id);
    const department = svc.view(await svc.get(id));
    return c.json({ ...department, health: await services.health.health(id) }, 200);
  });
  app.openapi(pause, async (c) => {
    const { id } = c.req.valid('param');
    return c.json({ id, health: await services.health.pause(id, c.get('principal')) }, 200);
  });
  app.openapi(resume, async (c) => {
    const { id } = c.req.valid('param');
    return c.json({ id, health: await services.health.resume(id, c.get('principal')) }, 200);
  });
  app.openapi(del, async (c) => {
    await svc.disable(c.req.valid('param').id, c.get('principal'));
    return c.body(null, 204);
  });
  app.openapi(check, async (c) => {
    const { id } = c.req.valid('param');
    ownOrAdmin(c.get('principal'), id);
    return c.json(await svc.check(id), 200);
  });
  app.openapi(versions, async (c) => {
    const { id } = c.req.valid('param');
    ownOrAdmin(c.get('principal'), id);
    return c.json({ items: await svc.versions(id) }, 200);
  });
  app.openapi(version, async (c) => {
    const { id, n } = c.req.valid('param');
    ownOrAdmin(c.get('principal'), id);
    return c.json(await svc.version(id, n), 200);
  });
  app.openapi(restore, async (c) => {
    const { id, n } = c.req.valid('param');
    ownOrAdmin(c.get('principal'), id);
    return c.json(await svc.restore(id, n, c.get('principal')), 200);
  });
  app.openapi(preview, async (c) => {
    const { id } = c.req.valid('param');
    ownOrAdmin(c.get('principal'), id);
    return c.json(await services.preview.preview(id, c.req.valid('json')), 200);
  });
  app.openapi(events, async (c) => {
    const { id } = c.req.valid('param');
    const principal = c.get('principal');
    ownOrAdmin(principal, id);
    const department = await svc.get(id);
    const event = await services.mapper.event(department.config, 'callback', c.req.valid('json'));
    if (!event) throw invalid('the callback mapping yielded no event', [{ path: 'callback.event', message: 'yielded nothing for this body' }]);
    if (event.dossierCode) c.set('dossierCode', event.dossierCode);
    const actor = principal.role === 'department' ? `department:${id}` : `admin:${principal.name}`;
    return c.json(await services.events.apply(id, event, actor), 200);
  });
  return app;
}
