import { z } from 'zod';
import { ROLES } from '../core/model/principal.js';
import { STATUSES, DELIVERY_STATES } from '../core/model/status.js';
import { agencyCode } from '../core/model/codes.js';
import { DEADLINE_STATES } from '../core/calendar/deadline-state.js';

/** Response and parameter schemas of the HTTP contract (the request schemas live in core/model). */

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  })
  .meta({ id: 'Problem' });

const timelineEntrySchema = z.object({
  seq: z.number().int(),
  type: z.string(),
  at: z.string(),
  status: z.enum(STATUSES),
  statusCode: z.number().int(),
  actor: z.string(),
  note: z.string().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});

const deliverySchema = z.object({
  id: z.number().int(),
  operation: z.string(),
  state: z.enum(DELIVERY_STATES),
  attempts: z.number().int(),
  reference: z.string().nullable(),
  configVersion: z.number().int(),
  deliveredAt: z.string().nullable(),
  lastError: z.string().nullable(),
  updatedAt: z.string(),
  waiting: z.enum(['department_down', 'paused']).optional().describe('pending and held: the department is down (circuit open) or paused by hand'),
});

export const dossierResourceSchema = z
  .looseObject({
    code: z.string(),
    department: z.string(),
    status: z.enum(STATUSES),
    statusCode: z.number().int(),
    delivery: deliverySchema.nullable(),
    deliveries: z.array(deliverySchema).optional(),
    portal: z.object({ state: z.string(), syncedAt: z.string().optional(), message: z.string().optional() }),
    deadline: z
      .object({
        dueAt: z.string().optional(),
        source: z.enum(['computed', 'center']).optional(),
        state: z.enum(DEADLINE_STATES),
        pausedSince: z.string().nullable().optional(),
        extendedTo: z.string().nullable().optional(),
        doneAt: z.string().nullable().optional(),
      })
      .meta({ id: 'Deadline', description: 'The due date (ngày hẹn trả) and where the dossier stands against it' }),
    events: z.array(timelineEntrySchema).optional(),
    results: z.array(z.record(z.string(), z.unknown())),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'DossierResource', description: 'The submitted dossier plus its status, delivery, portal state and timeline' });

export const dossierPageSchema = z.object({ items: z.array(dossierResourceSchema), nextCursor: z.string().nullable() });

export const eventOutcomeSchema = z
  .object({
    dossierCode: z.string(),
    status: z.enum(STATUSES),
    statusCode: z.number().int(),
    applied: z.boolean(),
    reason: z.string().optional(),
    duplicate: z.boolean().optional(),
  })
  .meta({ id: 'EventOutcome' });

export const healthSchema = z
  .object({
    circuit: z.enum(['closed', 'half_open', 'open']),
    since: z.string().nullable(),
    consecutiveFailures: z.number().int(),
    lastError: z.string().nullable(),
    lastSuccessAt: z.string().nullable(),
    paused: z.boolean(),
  })
  .meta({ id: 'DepartmentHealth' });

export const departmentViewSchema = z
  .looseObject({ id: z.string(), version: z.number().int(), name: z.string(), enabled: z.boolean(), updatedAt: z.string(), health: healthSchema.optional() })
  .meta({ id: 'Department', description: 'A department registration as stored: secrets masked' });

export const apiKeyCreateSchema = z
  .object({
    role: z.enum(ROLES),
    department: agencyCode.optional(),
    name: z.string().trim().min(1).max(200),
  })
  .refine((k) => (k.role === 'department') === (k.department !== undefined), {
    message: 'a department key needs "department", and only a department key takes one',
    path: ['department'],
  });

export const apiKeyCreatedSchema = z.object({
  id: z.string(),
  key: z.string(),
  role: z.enum(ROLES),
  department: z.string().nullable(),
  name: z.string(),
});

export const checkResultSchema = z.object({ ok: z.boolean(), latencyMs: z.number(), detail: z.string() });

export const codeParam = z.object({ code: z.string().max(100) });
export const idParam = z.object({ id: z.string().max(100) });

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

export const problems = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [s, { content: { 'application/problem+json': { schema: problemSchema } }, description: `problem (${s})` }]),
  );
