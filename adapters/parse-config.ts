import type { z } from 'zod';
import { DeliveryError, zodIssues } from '../core/errors.js';
import type { DepartmentConfig } from '../core/model/department.js';

/**
 * `{transport, operations}` of a stored department parsed by its transport's
 * schema, defaults filled in. Departments are validated when saved, so a
 * failure here means a corrupt store: a permanent `DeliveryError`.
 */
export function parseAdapterConfig<S extends z.ZodType>(schema: S, type: string, config: DepartmentConfig): z.infer<S> {
  const parsed = schema.safeParse({ transport: config.transport, operations: config.operations });
  if (!parsed.success) {
    const issues = zodIssues(parsed.error.issues).map((i) => `${i.path}: ${i.message}`);
    throw DeliveryError.permanent(`invalid ${type} department config (${issues.join('; ')})`, { code: 'INVALID_CONFIG' });
  }
  return parsed.data;
}
