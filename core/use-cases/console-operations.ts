import type { SignInAuditSink } from '../console/sessions.js';
import type { ConsoleProviders } from '../console/providers.js';
import type { CorePorts } from './context.js';
import type { DeliveryAdminService } from './deliveries.js';
import type { DepartmentHealthService } from './department-health.js';

/**
 * Tình trạng kết nối and Gửi lại tất cả in the console, on the API's own
 * use-cases: a department's health, pause and resume are
 * `DepartmentHealthService` (GET /v1/departments/{id} `health`,
 * POST …/pause and …/resume, audited there); the bulk retry is
 * `DeliveryAdminService.retry` (POST /v1/deliveries/retry, audited there).
 */
export function consoleOperations(health: DepartmentHealthService, deliveries: DeliveryAdminService): Required<Pick<ConsoleProviders, 'health' | 'bulkRetry'>> {
  return {
    health: {
      health: (id) => health.health(id),
      pause: async (id, by) => void (await health.pause(id, by)),
      resume: async (id, by) => void (await health.resume(id, by)),
    },
    bulkRetry: { retry: (filter, by) => deliveries.retry(filter, by) },
  };
}

/**
 * Console sign-ins in the audit log (nhật ký kiểm toán): action
 * `console.signed_in`, subject the key (`key:<id>`), the actor as every other
 * audit entry names it. Never the key itself nor the client address.
 */
export function signInAudit(p: Pick<CorePorts, 'audit' | 'transactions'>): SignInAuditSink {
  return {
    signedIn: (s) =>
      p.transactions.tx((q) =>
        p.audit.write(q, {
          actor: s.role === 'department' ? { role: s.role, ...(s.department ? { department: s.department } : {}), keyId: s.keyId } : { role: s.role, name: s.name, keyId: s.keyId },
          action: 'console.signed_in',
          subject: `key:${s.keyId}`,
          detail: { role: s.role, ...(s.department ? { department: s.department } : {}) },
        }),
      ),
  };
}
