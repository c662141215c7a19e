/**
 * "The next working day after `date`" (YYYY-MM-DD → YYYY-MM-DD): what
 * `due_soon` needs from the working calendar. This fallback knows only
 * weekends (Monday to Friday are working days); the working calendar
 * (core/calendar/) gives the real one, with days off and swapped Saturdays;
 * it may be async (a calendar whose overrides are read from the store).
 */
export type NextWorkingDay = (date: string) => string | Promise<string>;

export const nextWeekday = (date: string): string => {
  const d = new Date(`${date}T00:00:00Z`);
  do d.setUTCDate(d.getUTCDate() + 1);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
  return d.toISOString().slice(0, 10);
};
