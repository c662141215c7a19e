import { dayOf } from './local-time.js';
import type { WorkingCalendar } from './working-calendar.js';

/**
 * Tình trạng hạn xử lý: where a dossier stands against its due date.
 * Open: `on_time`, `due_soon` (due today or the next working day), `overdue`
 * (quá hạn: the due date, a UTC+7 calendar date, has passed), `paused` (the
 * clock stopped: supplement_requested, payment_requested, suspended).
 * Resolved, judged by date (the resolution instant counts): `done_early`
 * (trước hạn), `done_on_time` (đúng hạn), `done_late` (trễ hạn).
 * `closed`: withdrawn or not accepted (or returned without a resolution).
 * `none`: no due date.
 */
export const DEADLINE_STATES = ['on_time', 'due_soon', 'overdue', 'paused', 'done_early', 'done_on_time', 'done_late', 'closed', 'none'] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];

/** The states a list can be filtered by (`GET /v1/dossiers?deadline=`). */
export const OPEN_DEADLINE_STATES = ['overdue', 'due_soon', 'paused', 'on_time'] as const;
export type OpenDeadlineState = (typeof OPEN_DEADLINE_STATES)[number];

/** Statuses during which the clock stops. */
export const PAUSING_STATUSES: ReadonlySet<string> = new Set(['supplement_requested', 'payment_requested', 'suspended']);
/** Statuses that close a dossier without a resolution. */
export const CLOSING_STATUSES: ReadonlySet<string> = new Set(['withdrawn', 'not_accepted']);

/** What the state is judged from: the dossier's deadline columns and status. Instants as ISO strings or epoch ms. */
export interface DeadlineFacts {
  status: string;
  dueAt: string | number | null | undefined;
  pausedSince?: string | number | null;
  /** When it became `resolved`. */
  doneAt?: string | number | null;
  /** When it became `withdrawn` / `not_accepted`. */
  closedAt?: string | number | null;
}

const ms = (v: string | number) => (typeof v === 'number' ? v : Date.parse(v));

/**
 * The deadline state of a dossier at `now` (epoch ms). `extendedTo` plays no
 * part: an extension (xin lỗi, hẹn lại) never cures lateness.
 */
export function deadlineState(facts: DeadlineFacts, now: number, calendar: WorkingCalendar): DeadlineState {
  if (facts.dueAt === null || facts.dueAt === undefined) return 'none';
  const dueDay = dayOf(ms(facts.dueAt));
  if (facts.doneAt !== null && facts.doneAt !== undefined) {
    const doneDay = dayOf(ms(facts.doneAt));
    return doneDay < dueDay ? 'done_early' : doneDay === dueDay ? 'done_on_time' : 'done_late';
  }
  if (CLOSING_STATUSES.has(facts.status) || facts.closedAt || facts.status === 'returned') return 'closed';
  if (facts.pausedSince) return 'paused';
  return openState(dueDay, dayOf(now), calendar);
}

/** An open, running dossier due on local day `dueDay`, seen on local day `today`. */
export function openState(dueDay: number, today: number, calendar: WorkingCalendar): 'on_time' | 'due_soon' | 'overdue' {
  if (today > dueDay) return 'overdue';
  return dueDay <= calendar.nextWorkingDay(today) ? 'due_soon' : 'on_time';
}

/**
 * The date bounds a store query needs to filter open running dossiers by
 * state at `now`, as `YYYY-MM-DD` local dates: overdue ⇔ due date < `today`;
 * due_soon ⇔ `today` ≤ due date ≤ `soonUntil`; on_time ⇔ due date > `soonUntil`.
 */
export function stateBounds(now: number, calendar: WorkingCalendar): { today: number; soonUntil: number } {
  const today = dayOf(now);
  return { today, soonUntil: calendar.nextWorkingDay(today) };
}
