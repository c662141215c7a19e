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

