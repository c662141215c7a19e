import type { Status } from './status.js';

/** Timeline entry types that are processing steps the citizen follows on the portal. */
const STEP_TYPES = new Set(['received', 'registered', 'status_changed', 'progress', 'supplement_sent', 'withdrawn', 'returned']);

/**
 * Is a timeline entry meant for the portal? The first entry (the dossier
 * itself), every status change, and the steps above; not delivery attempts,
 * refusals or the portal's own entries.
 */
export function isPortalStep(entry: { seq: number; type: string; status: Status }, previousStatus: Status | undefined): boolean {
  return entry.seq === 1 || STEP_TYPES.has(entry.type) || (previousStatus !== undefined && previousStatus !== entry.status);
}


/** When a timeline entry happened: the department's own time for its events, the hand-over time, else when recorded. */
export function stepTime(
  ctx: { row: { content: { receivedAt: string } } },
  entry: { seq: number; at: string; detail: Record<string, unknown> | null },
): string {
  if (entry.seq === 1) return ctx.row.content.receivedAt;
  const own = entry.detail?.occurredAt ?? entry.detail?.at;
  return typeof own === 'string' ? own : entry.at;
}

