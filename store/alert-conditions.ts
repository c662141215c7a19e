import { scrub, type AlertCondition } from '../core/follow-up/alert.js';
import type { AlertBounds } from '../core/follow-up/ports.js';
import type { Queryable } from './db.js';

/**
 * Running dossiers: the clock runs — not done, not closed, not paused
 * (`paused_since` is kept by the deadlines code: set while
 * supplement_requested, payment_requested or suspended, cleared when the
 * supplement is forwarded). Matches the index dossiers_open_due_idx (004).
 */
const RUNNING = `done_at is null and closed_at is null and paused_since is null
  and status not in ('resolved', 'returned', 'withdrawn', 'not_accepted')`;

interface DossierDue {
  code: string;
  department: string;
  procedure: string;
  status: string;
  dueAt: string;
}

interface DeliveryOpen {
  id: number;
  dossierCode: string;
  department: string;
  operation: string;
  state: string;
  attempts: number;
  createdAt: string;
  lastError: string | null;
}

/**
 * Every condition the store shows by itself, read in the evaluation's
 * transaction: overdue and due_soon (running dossiers by due date, judged by
 * calendar date UTC+7 through `bounds`), delivery_stuck (accepted, not
 * delivered before `stuckBefore`), delivery_failed, portal_rejected.
 */
export async function alertConditions(q: Queryable, bounds: AlertBounds): Promise<AlertCondition[]> {
  const due = await q.query<DossierDue>(
    `select code, department_id as department, procedure_code as procedure, status, due_at as "dueAt"
       from dossiers where ${RUNNING} and due_at < $1`,
    [bounds.dueSoonBefore],
  );
  const open = await q.query<DeliveryOpen>(
    `select id, dossier_code as "dossierCode", department_id as department, operation, state, attempts,
            created_at as "createdAt", last_error as "lastError"
       from deliveries where (state in ('pending', 'delivering') and created_at < $1) or state = 'failed'`,
    [bounds.stuckBefore],
  );
  const rejected = await q.query<{ code: string; department: string; message: string | null; since: string }>(
    `select p.dossier_code as code, d.department_id as department, p.message, p.updated_at as since
       from portal_sync p join dossiers d on d.code = p.dossier_code where p.state = 'rejected'`,
  );
  const overdueBefore = Date.parse(bounds.overdueBefore);
  return [
    ...due.map((d): AlertCondition => ({
      kind: Date.parse(d.dueAt) < overdueBefore ? 'overdue' : 'due_soon',
      subject: d.code,
      dossierCode: d.code,
      department: d.department,
      detail: { dueAt: d.dueAt, procedure: d.procedure, status: d.status },
    })),
    ...open.map((d): AlertCondition => ({
      kind: d.state === 'failed' ? 'delivery_failed' : 'delivery_stuck',
      subject: `delivery:${d.id}`,
      dossierCode: d.dossierCode,
      department: d.department,
      detail: {
        operation: d.operation,
        state: d.state,
        attempts: d.attempts,
        acceptedAt: d.createdAt,
        ...(d.state === 'failed' ? { lastError: scrub(d.lastError) } : {}),
      },
    })),
    ...rejected.map((r): AlertCondition => ({
      kind: 'portal_rejected',
      subject: r.code,
      dossierCode: r.code,
      department: r.department,
      detail: { message: scrub(r.message), since: r.since },
    })),
  ];
}
