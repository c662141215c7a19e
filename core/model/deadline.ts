import type { OpenDeadlineState } from '../calendar/deadline-state.js';

/**
 * Hạn xử lý: a dossier's deadline columns (migration 004), instants as ISO
 * strings. `dueAt` is the ngày hẹn trả; it changes only with a
 * `deadline_changed` timeline entry. `extendedTo` (the apology's new date)
 * never changes it.
 */
export interface Deadline {
  receivedAt: string | null;
  dueAt: string | null;
  source: 'computed' | 'center' | null;
  pausedSince: string | null;
  extendedTo: string | null;
  doneAt: string | null;
  closedAt: string | null;
}

/**
 * What a store needs to filter open dossiers by deadline state in SQL:
 * overdue ⇔ due_at < `todayStart`; due_soon ⇔ todayStart ≤ due_at <
 * `soonEnd` (the end of the next working day); on_time ⇔ due_at ≥ soonEnd;
 * paused ⇔ paused_since set. Made by `deadlineFilter` (core/deadlines), which
 * holds the calendar.
 */
export interface DeadlineFilter {
  state: OpenDeadlineState;
  todayStart: string;
  soonEnd: string;
}
