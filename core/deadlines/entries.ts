import type { NewTimelineEntry } from '../ports/index.js';
import type { Status } from '../model/status.js';
import type { Procedure } from '../model/procedure.js';
import type { ClockRules, ClockStep, Deadline } from './clock.js';

/** What the clock needs from a procedure's catalog entry. */
export const rulesOf = (p: Procedure | undefined): ClockRules | undefined =>
  p && { processingTime: p.processingTime, supplementPolicy: p.supplementPolicy };

/** The deadline fields a step changed (what the timeline entry writes with it). */
const DEADLINE_KEYS = ['receivedAt', 'dueAt', 'source', 'pausedSince', 'extendedTo', 'doneAt', 'closedAt'] as const;

/** Instants compare as instants (`…Z` from the store equals `…+07:00` from the clock). */
const same = (a: string | null | undefined, b: string | null | undefined) =>
  (a ?? null) === (b ?? null) || (a != null && b != null && Date.parse(a) === Date.parse(b));

export function deadlinePatch(before: Partial<Deadline>, after: Deadline): Partial<Deadline> {
  const patch: Partial<Deadline> = {};
  for (const key of DEADLINE_KEYS) {
    if (!same(before[key], after[key])) (patch as Record<string, unknown>)[key] = after[key];
  }
  return patch;
}

/**
 * The `deadline_changed` timeline entry of a step that moved the due date:
 * detail `{from, to, reason, waitedHours?}` (the old and new value); none
 * when the due date did not move.
 */
export function dueChangedEntries(step: ClockStep, status: Status): NewTimelineEntry[] {
  if (!step.change) return [];
  return [{ type: 'deadline_changed', status, actor: 'lienthong', detail: { ...step.change } }];
}
