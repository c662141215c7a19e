import { z } from 'zod';
import type { CanonicalMessage } from '../adapter.js';
import { invalid, notFound, zodIssues } from '../errors.js';
import { dossierSchema, supplementSchema, withdrawalSchema } from '../model/dossier.js';
import type { CorePorts } from './context.js';

/** The ports PreviewService uses. */
export type PreviewPorts = Pick<CorePorts, 'adapters' | 'departments' | 'dossiers' | 'mapper'>;
import type { DepartmentService } from './departments.js';

/** `POST /v1/departments/{id}/preview`: what would be sent, or what an answer would become. Nothing is sent. */
export const previewRequestSchema = z.object({
  operation: z.enum(['submit', 'supplement', 'withdraw', 'status', 'callback']),
  dossier: z.unknown().optional().describe('a canonical dossier (submit, supplement, withdraw, status)'),
  supplement: supplementSchema.optional(),
  withdrawal: withdrawalSchema.optional(),
  reference: z.string().max(200).optional().describe("the department's own id for the dossier, for {reference} paths"),
  answer: z.unknown().optional().describe('what the department would send (status answer, callback body)'),
  version: z.number().int().positive().optional().describe('preview a kept version instead of the current one'),
});
export type PreviewRequest = z.infer<typeof previewRequestSchema>;

export class PreviewService {
  constructor(
    private readonly ctx: PreviewPorts,
    private readonly departments: DepartmentService,
  ) {}

  async preview(id: string, body: PreviewRequest) {
    const department = await this.departments.get(id);
    const version = body.version ?? department.version;
    const config = version === department.version ? department.config : await this.ctx.departments.version(id, version);
    if (!config) throw notFound(`version ${version} of department ${id}`);
    const { operation } = body;

    if (operation === 'callback' || (operation === 'status' && body.answer !== undefined)) {
      if (body.answer === undefined) throw invalid('nothing to read', [{ path: 'answer', message: 'is required for callback' }]);
      const event = await this.ctx.mapper.event(config, operation, body.answer);
      return { operation, version, event: event ?? null };
    }
    if (!config.operations[operation]) {
      throw invalid('no such operation', [{ path: 'operation', message: `department ${id} has no ${operation} operation` }]);
    }
    const parsed = dossierSchema.safeParse(body.dossier);
    if (!parsed.success) throw invalid('a canonical dossier is needed', zodIssues(parsed.error.issues, 'dossier'));
    const dossier = parsed.data;
    const stored = await this.ctx.dossiers.get(dossier.code);
    const reference = body.reference ?? (stored?.departmentId === id ? (stored.reference ?? undefined) : undefined);
    const message: CanonicalMessage = { dossier, ...(reference ? { reference } : {}) };
    if (operation === 'supplement') message.supplement = body.supplement ?? { documents: [] };
    if (operation === 'withdraw') message.withdrawal = body.withdrawal ?? { reason: '(preview)' };
    const payload = await this.ctx.mapper.request(config, operation, message);
    const adapter = this.ctx.adapters.get({ id, version }, config);
    const n = operation === 'submit' || operation === 'status' ? '' : ':1';
    const request = await adapter.prepare({
      operation,
      dossierCode: dossier.code,
      idempotencyKey: `${dossier.code}:${operation}${n}`,
      ...(reference ? { reference } : {}),
      message,
      payload,
    });
    return { operation, version, request };
  }
}
