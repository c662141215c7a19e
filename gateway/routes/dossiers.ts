import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { dossierSchema, returnedSchema, supplementSchema, withdrawalSchema } from '../../core/model/dossier.js';
import { STATUSES, DELIVERY_STATES } from '../../core/model/status.js';
import { OPEN_DEADLINE_STATES } from '../../core/calendar/deadline-state.js';
import { extensionSchema } from '../../core/model/procedure.js';
import type { Services } from '../../core/use-cases/index.js';
import { allow } from '../auth.js';
import type { GatewayEnv } from '../env.js';
import { codeParam, dossierPageSchema, dossierResourceSchema, json, problems } from '../schemas.js';
import type { Hook } from './hook.js';

const tags = ['dossiers'];
const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });

const submit = createRoute({
  method: 'post',
  path: '/v1/dossiers',
  tags,
  summary: 'Submit a dossier once; it is stored and queued for its department',
  middleware: [allow('center', 'admin')] as const,
  request: body(dossierSchema.meta({ id: 'Dossier' })),
  responses: {
    202: json(dossierResourceSchema, 'accepted: stored and queued'),
    200: json(dossierResourceSchema, 'the same dossier was accepted before; nothing is sent twice'),
    ...problems(400, 401, 403, 409, 413, 422),
  },
});

const list = createRoute({
  method: 'get',
  path: '/v1/dossiers',
  tags,
  summary: 'List dossiers, newest first',
  request: {
    query: z.object({
      status: z.enum(STATUSES).optional().describe('only dossiers with this status'),
      department: z.string().max(35).optional().describe("only this department's dossiers (its agency code, e.g. 000.00.15.H63)"),
      deliveryState: z.enum(DELIVERY_STATES).optional().describe('only dossiers whose latest delivery is in this state: `failed` is the operator\'s work list'),
      deadline: z.enum(OPEN_DEADLINE_STATES).optional().describe('open dossiers in this deadline state'),
      limit: z.coerce.number().int().min(1).max(200).default(50).describe('page size'),
      cursor: z.string().regex(/^\d+$/, 'must be the nextCursor of a previous page').optional().describe('the `nextCursor` of the previous page'),
    }),
  },
  middleware: [allow('admin', 'center', 'department')] as const,
  responses: { 200: json(dossierPageSchema, 'one page'), ...problems(401, 403, 422) },
});

const get = createRoute({
  method: 'get',
  path: '/v1/dossiers/{code}',
  tags,
  summary: 'A dossier with its status, delivery and timeline',
  request: { params: codeParam },
  responses: { 200: json(dossierResourceSchema, 'the dossier'), ...problems(401, 404) },
});

const followUp = <S extends z.ZodType>(path: string, summary: string, schema: S) =>
  createRoute({
    method: 'post',
    path: `/v1/dossiers/{code}/${path}`,
    tags,
    summary,
    middleware: [allow('center', 'admin')] as const,
    request: { params: codeParam, ...body(schema) },
    responses: { 202: json(dossierResourceSchema, 'the dossier'), 200: json(dossierResourceSchema, 'the dossier'), ...problems(400, 401, 403, 404, 409, 422) },
  });

const supplement = followUp('supplements', 'Forward supplementary papers (operation supplement): 202', supplementSchema);
const withdrawal = followUp('withdrawal', 'Withdraw the dossier (operation withdraw): 202', withdrawalSchema);
const returned = followUp('returned', 'The result was handed to the applicant (status returned): 200', returnedSchema);
const extension = createRoute({
  method: 'post',
  path: '/v1/dossiers/{code}/extension',
  tags,
  summary: 'The apology and new appointment (xin lỗi, hẹn lại ngày trả): extendedTo; dueAt does not move',
  middleware: [allow('center', 'admin', 'department')] as const,
  request: { params: codeParam, ...body(extensionSchema.meta({ id: 'Extension' })) },
  responses: { 200: json(dossierResourceSchema, 'the dossier'), ...problems(400, 401, 403, 404, 409, 422) },
});

const retry = createRoute({
  method: 'post',
  path: '/v1/dossiers/{code}/retry',
  tags,
  summary: 'Re-queue failed deliveries',
  middleware: [allow('admin', 'center')] as const,
  request: { params: codeParam },
  responses: { 202: json(dossierResourceSchema, 're-queued'), ...problems(401, 403, 404, 409) },
});

/** What the national portal may see: status, not personal data. */
function portalView(d: z.infer<typeof dossierResourceSchema>) {
  const { applicant: _a, data: _d, documents: _docs, fees: _f, ...rest } = d as Record<string, unknown>;
  return rest as z.infer<typeof dossierResourceSchema>;
}

export function dossierRoutes(services: Services, hook: Hook) {
  const app = new OpenAPIHono<GatewayEnv>({ defaultHook: hook });
  const { dossiers } = services;
  app.openapi(submit, async (c) => {
    const input = c.req.valid('json');
    c.set('dossierCode', input.code);
    const { created, dossier } = await dossiers.accept(input, c.get('principal'));
    // The access line says where the dossier went (the one log line of an accept).
    c.set('logFields', { department: dossier.department, ...(created && dossier.delivery ? { deliveryId: dossier.delivery.id, accepted: true } : {}) });
    return c.json(dossier, created ? 202 : 200);
  });
  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const page = await dossiers.list({ ...q, ...(q.cursor ? { cursor: Number(q.cursor) } : { cursor: undefined }) }, c.get('principal'));
    return c.json(page, 200);
  });
  app.openapi(get, async (c) => {
    const { code } = c.req.valid('param');
    c.set('dossierCode', code);
    const dossier = await dossiers.get(code, c.get('principal'));
    return c.json(c.get('principal').role === 'portal' ? portalView(dossier) : dossier, 200);
  });
  app.openapi(supplement, async (c) => {
    const { code } = c.req.valid('param');
    c.set('dossierCode', code);
    return c.json(await dossiers.supplement(code, supplementSchema.parse(c.req.valid('json')), c.get('principal')), 202);
  });
  app.openapi(withdrawal, async (c) => {
    const { code } = c.req.valid('param');
    c.set('dossierCode', code);
    return c.json(await dossiers.withdraw(code, withdrawalSchema.parse(c.req.valid('json')), c.get('principal')), 202);
  });
  app.openapi(returned, async (c) => {
    const { code } = c.req.valid('param');
    c.set('dossierCode', code);
    return c.json(await dossiers.returned(code, returnedSchema.parse(c.req.valid('json')), c.get('principal')), 200);
  });
  app.openapi(extension, async (c) => {
    const { code } = c.req.valid('param');
    c.set('dossierCode', code);
    return c.json(await dossiers.extend(code, c.req.valid('json'), c.get('principal')), 200);
  });
  app.openapi(retry, async (c) => {
    const { code } = c.req.valid('param');
    c.set('dossierCode', code);
    return c.json(await dossiers.retry(code, c.get('principal')), 202);
  });
  return app;
}
