import { z } from 'zod';
import { procedureCode } from './codes.js';
import { statusSchema } from './status.js';

const jsonata = z.string().min(1).max(20_000);

/** What every transport's operation may carry: its mapping expressions. */
export const operationBaseSchema = z.looseObject({
  request: jsonata.optional().describe('JSONata on {dossier, supplement?, withdrawal?, reference?}: what is sent'),
  reference: jsonata.optional().describe("JSONata on the department's answer to submit: its own id for the dossier"),
  event: jsonata.optional().describe("JSONata on the department's answer to status: a canonical event"),
  everyMs: z.number().int().min(1000).max(86_400_000).optional().describe('status only: how often to poll'),
});

/** Per-department delivery tuning; defaults come from the environment. */
export const deliveryTuningSchema = z.object({
  attempts: z.number().int().min(1).max(100).optional(),
  backoffMs: z.number().int().min(100).max(3_600_000).optional(),
  concurrency: z.number().int().min(1).max(64).optional(),
  /** Circuit breaker (docs/monitoring.md): opens after `failures` transient failures in a row; `check` every `probeMs` while open. */
  breaker: z
    .object({
      failures: z.number().int().min(1).max(1000).default(5),
      probeMs: z.number().int().min(100).max(3_600_000).default(30_000),
    })
    .optional(),
});

/** A department's breaker settings, defaults filled in. */
export function breakerSettings(config: { delivery?: { breaker?: { failures?: number; probeMs?: number } } } | undefined): { failures: number; probeMs: number } {
  return { failures: config?.delivery?.breaker?.failures ?? 5, probeMs: config?.delivery?.breaker?.probeMs ?? 30_000 };
}

/**
 * Sở, ban, ngành: a department's registration. `transport` and the
 * transport-specific parts of `operations` are validated by the adapter of
 * `transport.type` (adapters/<type>/config.ts).
 */
export const departmentConfigSchema = z.object({
  name: z.string().trim().min(1).max(300),
  procedures: z.array(procedureCode).max(2000).default([]),
  transport: z.looseObject({ type: z.string().min(1) }),
  operations: z.object({
    submit: operationBaseSchema,
    supplement: operationBaseSchema.optional(),
    withdraw: operationBaseSchema.optional(),
    status: operationBaseSchema.optional(),
  }),
  callback: z.object({ event: jsonata.optional() }).optional(),
  statusMap: z.record(z.string().min(1).max(100), statusSchema).default({}),
  codeTables: z
    .record(z.string().min(1).max(100), z.record(z.string().max(200), z.union([z.string().max(200), z.number()])))
    .optional()
    .describe('the department\'s own code tables, read in mappings with $code(table, value, fallback?)'),
  delivery: deliveryTuningSchema.optional(),
  enabled: z.boolean().default(true),
});

export type DepartmentConfig = z.infer<typeof departmentConfigSchema>;
export type OperationConfig = z.infer<typeof operationBaseSchema>;
export type OperationName = 'submit' | 'supplement' | 'withdraw' | 'status';
export const SEND_OPERATIONS = ['submit', 'supplement', 'withdraw'] as const;
export type SendOperation = (typeof SEND_OPERATIONS)[number];

/** A department as stored: its config plus identity and version. */
export interface Department {
  id: string;
  version: number;
  config: DepartmentConfig;
  enabled: boolean;
  updatedAt: string;
}

/** A department's own status word replaced through its `statusMap` (unchanged when it has no entry). */
export function mapStatus(config: Pick<DepartmentConfig, 'statusMap'>, status: string): string {
  const map: Record<string, string> = config.statusMap ?? {};
  return Object.hasOwn(map, status) ? (map[status] ?? status) : status;
}
