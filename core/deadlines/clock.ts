import { localIso } from '../calendar/local-time.js';
import type { ProcessingTime } from '../calendar/processing-time.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import { CLOSING_STATUSES, PAUSING_STATUSES } from '../calendar/deadline-state.js';
import type { SupplementPolicy } from '../model/procedure.js';
import type { Deadline } from '../model/deadline.js';

export type { Deadline } from '../model/deadline.js';

/** What the procedure's catalog entry says about the clock, when it has one. */
export interface ClockRules {
  processingTime?: ProcessingTime;
  supplementPolicy: SupplementPolicy;
}

/** A move of the due date, written as a `deadline_changed` entry: old and new value, and why. */
export interface DueChange {
  from: string | null;
  to: string | null;
  reason: 'supplement_restart' | 'supplement_pause' | 'resumed';
  /** The instant the clock ran again (the event's occurredAt, the supplement's receivedAt). */
  at: string;
  /** The working time the clock stood still, in hours (pause and resume). */
  waitedHours?: number;
}

export interface ClockStep {
  deadline: Deadline;
  change?: DueChange;
}

const iso = (ms: number) => localIso(ms);
const hours = (ms: number) => Math.round((ms / 3_600_000) * 1000) / 1000;

/**
 * At acceptance: the center's `dueAt` (source `center`), else receivedAt +
 * the catalog's processing time (source `computed`), else no deadline.
 */
export function initialDeadline(dossier: { receivedAt: string; dueAt?: string | undefined }, rules: ClockRules | undefined, calendar: WorkingCalendar): Deadline {
  const receivedMs = Date.parse(dossier.receivedAt);
  const base = { receivedAt: iso(receivedMs), pausedSince: null, extendedTo: null, doneAt: null, closedAt: null };
  if (dossier.dueAt) return { ...base, dueAt: iso(Date.parse(dossier.dueAt)), source: 'center' };
  if (rules?.processingTime) return { ...base, dueAt: iso(calendar.dueAt(receivedMs, rules.processingTime)), source: 'computed' };
  return { ...base, dueAt: null, source: null };
}

/**
 * The clock runs again at `atMs` after standing still since `pausedSince`:
 * a supplement (policy `restart`: the full processing time from `atMs`, when
 * the catalog gives one; otherwise, or `pause`: later by the working time
 * waited) or leaving payment_requested/suspended (later by the time waited).
 */
function resume(d: Deadline, atMs: number, calendar: WorkingCalendar, how: 'supplement' | 'resumed', rules: ClockRules | undefined): ClockStep {
  if (!d.pausedSince) return { deadline: d };
  const resumed = { ...d, pausedSince: null };
  if (!d.dueAt) return { deadline: resumed };
  if (how === 'supplement' && rules?.supplementPolicy !== 'pause' && rules?.processingTime) {
    const to = iso(calendar.dueAt(atMs, rules.processingTime));
    return { deadline: { ...resumed, dueAt: to }, change: { from: iso(Date.parse(d.dueAt)), to, reason: 'supplement_restart', at: iso(atMs) } };
  }
  const waited = calendar.workingTimeBetween(Date.parse(d.pausedSince), atMs);
  if (waited === 0) return { deadline: resumed };
  const to = iso(calendar.addWorkingTime(Date.parse(d.dueAt), waited));
  return { deadline: { ...resumed, dueAt: to }, change: { from: iso(Date.parse(d.dueAt)), to, reason: how === 'supplement' ? 'supplement_pause' : 'resumed', at: iso(atMs), waitedHours: hours(waited) } };
}

/** The center forwarded the supplement the applicant brought at `atMs`: the clock runs again. */
export function onSupplement(d: Deadline, atMs: number, calendar: WorkingCalendar, rules: ClockRules | undefined): ClockStep {
  return resume(d, atMs, calendar, 'supplement', rules);
}

/**
 * The dossier moved from `from` to `to` at `atMs` (the event's occurredAt, or
 * when lienthong got it). Entering supplement_requested, payment_requested or
 * suspended stops the clock (`pausedSince`, kept across moves between them);
 * leaving them runs it again (a supplement_requested left before the center
 * forwarded anything counts as the supplement arriving then); `resolved`
 * sets `doneAt`; `withdrawn` and `not_accepted` set `closedAt`.
 */
export function onStatusChange(d: Deadline, from: string, to: string, atMs: number, calendar: WorkingCalendar, rules: ClockRules | undefined): ClockStep {
  if (from === to) return { deadline: d };
  if (CLOSING_STATUSES.has(to)) return { deadline: { ...d, pausedSince: null, closedAt: iso(atMs) } };
  let step: ClockStep = { deadline: d };
  if (PAUSING_STATUSES.has(to)) {
    if (d.pausedSince || !d.dueAt || d.doneAt) return step;
    return { deadline: { ...d, pausedSince: iso(atMs) } };
  }
  if (d.pausedSince) step = resume(d, atMs, calendar, from === 'supplement_requested' ? 'supplement' : 'resumed', rules);
  if (to === 'resolved' && !step.deadline.doneAt) step = { ...step, deadline: { ...step.deadline, doneAt: iso(atMs) } };
  return step;
}
