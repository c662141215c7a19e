import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateBounds } from '../../core/calendar/deadline-state.js';
import { dateString } from '../../core/calendar/local-time.js';
import { WorkingCalendar } from '../../core/calendar/working-calendar.js';
import type { Db } from '../../store/db.js';
import { migrate } from '../../store/migrate.js';
import { MetricsStore } from '../../store/metrics-store.js';
import { openTestDb } from '../helpers/db.js';
import { seedDossiers } from '../helpers/follow-up-data.js';

/** lienthong_dossiers_open's deadline label follows the working calendar, as the deadline API does. */
describe('open dossiers per deadline state (pglite)', () => {
  let db: Db;
  let drop: () => Promise<void>;
  const DEPT = '000.00.15.H63';

  beforeAll(async () => {
    ({ db, drop } = await openTestDb('pglite'));
    await migrate(db);
    const due = (code: number, dueAt: string, extra: { status?: string; pausedSince?: string } = {}) => ({
      code: `000.00.00.H63-260420-${String(code).padStart(4, '0')}`,
      department: DEPT,
      procedure: '1.001234',
      status: extra.status ?? 'processing',
      receivedAt: '2026-04-20T09:00:00+07:00',
      dueAt,
      ...(extra.pausedSince ? { pausedSince: extra.pausedSince } : {}),
    });
    await seedDossiers(db, [
      due(1, '2026-04-28T17:00:00+07:00'), // yesterday: overdue
      due(2, '2026-04-29T16:00:00+07:00'), // today: due soon
      due(3, '2026-05-04T10:00:00+07:00'), // the next working day after 30/4 and 1/5 (and the weekend): due soon
      due(4, '2026-05-05T10:00:00+07:00'), // after it: on time
      due(5, '2026-04-27T10:00:00+07:00', { status: 'supplement_requested', pausedSince: '2026-04-25T10:00:00+07:00' }),
      due(6, '2026-04-01T10:00:00+07:00', { status: 'resolved' }), // closed: not open
    ]);
  });
  afterAll(async () => drop?.());

  it('counts a dossier due on the next working day after days off as due_soon', async () => {
    // Wednesday 29/4/2026: 30/4 and 1/5 are days off, then the weekend; the next working day is Monday 4/5.
    const { today, soonUntil } = stateBounds(Date.parse('2026-04-29T10:00:00+07:00'), new WorkingCalendar());
    expect([dateString(today), dateString(soonUntil)]).toEqual(['2026-04-29', '2026-05-04']);
    const rows = await new MetricsStore(db).openDossiers({ today: dateString(today), soonUntil: dateString(soonUntil) });
    const by = Object.fromEntries(rows.map((r) => [r.deadline, r.n]));
    expect(rows.every((r) => r.department === DEPT)).toBe(true);
    expect(by).toEqual({ overdue: 1, due_soon: 2, on_time: 1, paused: 1 });
  });
});
