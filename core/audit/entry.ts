import { createHash } from 'node:crypto';
import { actorOf, type Principal } from '../model/principal.js';

/**
 * Who made a change, as written in `audit_log.actor`: the role and the key's
 * name (`{role: "center", name: "quay-1", keyId: "key_…"}`), a department
 * (`{role: "department", department: "000.00.15.H63"}`) or lienthong itself
 * (`{role: "system", name: "lienthong"}`).
 */
export type AuditActor = { role: string; name?: string; keyId?: string; department?: string };

/**
 * One change to record (một bản ghi kiểm toán). `action` is a dotted verb
 * (`dossier.accepted`, `department.saved`, `key.revoked`, `timeline.delivered`,
 * `procedure.saved`, `console.signed_in` …), `subject` what it is about as
 * `<kind>:<id>` (`dossier:000.00.00.H63-261128-0001`, `department:000.00.15.H63`).
 * `detail` must hold no personal data in clear (no names, id numbers, phones,
 * addresses, free-text notes): hash such text with `digest()` if it matters.
 */
export interface AuditEntry {
  actor: AuditActor;
  action: string;
  subject: string;
  detail?: Record<string, unknown>;
}

export const SYSTEM_ACTOR: AuditActor = { role: 'system', name: 'lienthong' };

/** Who changes a stored setting: the audit entry's actor, and the `updated_by` text of the row. */
export interface ChangedBy {
  actor: AuditActor;
  label: string;
}

export function auditActor(p: Principal): AuditActor {
  if (p.role === 'department') return { role: 'department', ...(p.departmentId ? { department: p.departmentId } : {}), ...(p.keyId ? { keyId: p.keyId } : {}) };
  return { role: p.role, name: p.name, ...(p.keyId ? { keyId: p.keyId } : {}) };
}

/** `ChangedBy` for a change made by `p`. */
export function changedBy(p: Principal): ChangedBy {
  return { actor: auditActor(p), label: actorOf(p) };
}

/** The timeline's actor strings (`center:quay-1`, `department:X`, `department:X:poll`, `lienthong`) as an audit actor. */
export function actorFromTimeline(actor: string): AuditActor {
  const [role = 'system', ...rest] = actor.split(':');
  if (rest.length === 0) return { role: 'system', name: actor };
  if (role === 'department') return { role, department: rest[0] ?? '', ...(rest.length > 1 ? { name: rest.slice(1).join(':') } : {}) };
  return { role, name: rest.join(':') };
}

/** SHA-256 hex of a text: lets an auditor match a note without the log holding it in clear. */
export function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Timeline detail keys that never carry personal data (ids, counters, machine words). */
const SAFE_TIMELINE_KEYS = ['deliveryId', 'operation', 'attempt', 'of', 'kind', 'final', 'configVersion', 'applied', 'eventStatus', 'httpStatus', 'forwarded', 'department', 'reference'] as const;

/** The audit detail of a timeline entry: its seq, type and status, safe detail keys, the note only as a digest. */
export function timelineAuditDetail(entry: { type: string; status: string; note?: string | null; detail?: Record<string, unknown> }, seq: number): Record<string, unknown> {
  const out: Record<string, unknown> = { seq, type: entry.type, status: entry.status };
  for (const key of SAFE_TIMELINE_KEYS) {
    const v = entry.detail?.[key];
    if (v !== undefined && v !== null && typeof v !== 'object') out[key] = v;
  }
  if (entry.note) out.noteSha256 = digest(entry.note);
  return out;
}
