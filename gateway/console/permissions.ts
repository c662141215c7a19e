import type { Principal, Role } from '../../core/model/principal.js';

/**
 * Who may do what in the console: the same roles as the API route of each
 * action (the route named beside it). A department key is further limited to
 * its own department by the use-cases and by `ownDepartment`.
 */
export const CAN = {
  /** GET /v1/dossiers, /v1/dossiers/{code} */
  readDossiers: ['admin', 'center', 'department'],
  /** POST /v1/dossiers/{code}/retry */
  retry: ['admin', 'center'],
  /** POST /v1/dossiers/{code}/portal/resend and GET /v1/portal */
  portal: ['admin'],
  /** GET /v1/departments */
  listDepartments: ['admin'],
  /** GET /v1/departments/{id}, versions, check, preview (a department key: its own only) */
  department: ['admin', 'department'],
  /** GET /v1/deliveries (a department key: its own) */
  deliveries: ['admin', 'center', 'department'],
  /** POST /v1/deliveries/retry */
  bulkRetry: ['admin', 'center'],
  /** POST /v1/dossiers/{code}/extension (the owning department too) */
  extension: ['admin', 'center', 'department'],
  /** POST /v1/departments/{id}/pause, resume */
  pause: ['admin', 'center'],
  /** GET /v1/alerts, /v1/reports/progress (a department key: its own) */
  followUp: ['admin', 'center', 'department'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof CAN;

export function may(p: Principal, action: Action): boolean {
  return (CAN[action] as readonly Role[]).includes(p.role);
}

/** May `p` see department `id`'s page? Admin: any; a department key: its own. */
export function ownDepartment(p: Principal, id: string): boolean {
  return p.role === 'admin' || (p.role === 'department' && p.departmentId === id);
}
