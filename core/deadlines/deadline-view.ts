import { deadlineState, type DeadlineState, type OpenDeadlineState } from '../calendar/deadline-state.js';
import { dayStart, localIso } from '../calendar/local-time.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import { stateBounds } from '../calendar/deadline-state.js';
import type { Deadline, DeadlineFilter } from '../model/deadline.js';

/** The `deadline` object of a dossier resource and list item. */
export type DeadlineView =
  | { state: 'none' }
  | {
      dueAt: string;
      source: 'computed' | 'center';
      state: DeadlineState;
      pausedSince: string | null;
      extendedTo: string | null;
      doneAt: string | null;
    };

const local = (v: string | null) => (v ? localIso(Date.parse(v)) : null);

/** The deadline of a stored dossier as the contract shows it, judged at `now`. */
export function deadlineView(row: Partial<Deadline> & { status: string }, calendar: WorkingCalendar, now: number = Date.now()): DeadlineView {
  if (!row.dueAt) return { state: 'none' };
  return {
    dueAt: local(row.dueAt)!,
    source: row.source ?? 'center',
    state: deadlineState({ status: row.status, dueAt: row.dueAt, pausedSince: row.pausedSince ?? null, doneAt: row.doneAt ?? null, closedAt: row.closedAt ?? null }, now, calendar),
    pausedSince: local(row.pausedSince ?? null),
    extendedTo: local(row.extendedTo ?? null),
    doneAt: local(row.doneAt ?? null),
  };
}

export type { DeadlineFilter } from '../model/deadline.js';

export function deadlineFilter(state: OpenDeadlineState, calendar: WorkingCalendar, now: number = Date.now()): DeadlineFilter {
  const { today, soonUntil } = stateBounds(now, calendar);
  return { state, todayStart: new Date(dayStart(today)).toISOString(), soonEnd: new Date(dayStart(soonUntil + 1)).toISOString() };
}
