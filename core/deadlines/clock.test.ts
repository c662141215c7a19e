import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../calendar/working-calendar.js';
import { initialDeadline, onStatusChange, onSupplement, type ClockRules, type Deadline } from './clock.js';
import { deadlinePatch } from './entries.js';

const cal = new WorkingCalendar();
const at = (s: string) => Date.parse(s);
const restart: ClockRules = { processingTime: { value: 3, unit: 'working_days' }, supplementPolicy: 'restart' };
const pause: ClockRules = { ...restart, supplementPolicy: 'pause' };
const open = (patch: Partial<Deadline> = {}): Deadline => ({
  receivedAt: '2026-11-02T08:00:00+07:00',
  dueAt: '2026-11-05T08:00:00+07:00',
  source: 'computed',
  pausedSince: null,
  extendedTo: null,
  doneAt: null,
  closedAt: null,
  ...patch,
});

describe('the clock', () => {
  it('gives the due date at acceptance: the center’s, the catalog’s, or none', () => {
    expect(initialDeadline({ receivedAt: '2026-11-02T01:00:00Z' }, restart, cal)).toMatchObject({ dueAt: '2026-11-05T08:00:00+07:00', source: 'computed', receivedAt: '2026-11-02T08:00:00+07:00' });
    expect(initialDeadline({ receivedAt: '2026-11-02T08:00:00+07:00', dueAt: '2026-11-20T17:00:00+07:00' }, restart, cal)).toMatchObject({ dueAt: '2026-11-20T17:00:00+07:00', source: 'center' });
    expect(initialDeadline({ receivedAt: '2026-11-02T08:00:00+07:00' }, undefined, cal)).toMatchObject({ dueAt: null, source: null });
  });

  it('stops on a pausing status once, and keeps the start across pausing statuses', () => {
    const a = onStatusChange(open(), 'processing', 'supplement_requested', at('2026-11-03T10:00:00+07:00'), cal, restart);
    expect(a.deadline.pausedSince).toBe('2026-11-03T10:00:00+07:00');
    const b = onStatusChange(a.deadline, 'supplement_requested', 'payment_requested', at('2026-11-04T10:00:00+07:00'), cal, restart);
    expect(b.deadline.pausedSince).toBe('2026-11-03T10:00:00+07:00');
    expect(b.change).toBeUndefined();
  });

  it.each([
    ['restart', restart, '2026-11-09T09:00:00+07:00', '2026-11-12T09:00:00+07:00', 'supplement_restart'],
    ['pause', pause, '2026-11-04T10:00:00+07:00', '2026-11-06T08:00:00+07:00', 'supplement_pause'],
    ['pause over a weekend', pause, '2026-11-09T10:00:00+07:00', '2026-11-11T08:00:00+07:00', 'supplement_pause'],
    ['no catalog entry: pause', undefined, '2026-11-04T10:00:00+07:00', '2026-11-06T08:00:00+07:00', 'supplement_pause'],
  ] as const)('a supplement with %s', (_name, rules, when, due, reason) => {
    const paused = open({ pausedSince: '2026-11-03T10:00:00+07:00' });
    const step = onSupplement(paused, at(when), cal, rules);
    expect(step.deadline).toMatchObject({ dueAt: due, pausedSince: null });
    expect(step.change).toMatchObject({ from: '2026-11-05T08:00:00+07:00', to: due, reason });
  });

  it('a supplement while the clock runs changes nothing', () => {
    expect(onSupplement(open(), at('2026-11-04T10:00:00+07:00'), cal, restart)).toEqual({ deadline: open() });
  });

  it('leaving payment_requested or suspended adds the working time waited; resolved sets doneAt', () => {
    const paused = open({ pausedSince: '2026-11-03T08:00:00+07:00' });
    const back = onStatusChange(paused, 'suspended', 'processing', at('2026-11-04T08:00:00+07:00'), cal, restart);
    expect(back.change).toEqual({ from: '2026-11-05T08:00:00+07:00', to: '2026-11-06T08:00:00+07:00', reason: 'resumed', at: '2026-11-04T08:00:00+07:00', waitedHours: 8 });
    const done = onStatusChange(paused, 'payment_requested', 'resolved', at('2026-11-04T08:00:00+07:00'), cal, restart);
    expect(done.deadline).toMatchObject({ dueAt: '2026-11-06T08:00:00+07:00', doneAt: '2026-11-04T08:00:00+07:00', pausedSince: null });
    const closed = onStatusChange(paused, 'payment_requested', 'withdrawn', at('2026-11-04T08:00:00+07:00'), cal, restart);
    expect(closed.deadline).toMatchObject({ dueAt: '2026-11-05T08:00:00+07:00', closedAt: '2026-11-04T08:00:00+07:00', pausedSince: null });
    expect(closed.change).toBeUndefined();
  });

  it('a patch holds only what changed, instants compared as instants', () => {
    const before = open({ dueAt: '2026-11-05T01:00:00.000Z' });
    expect(deadlinePatch(before, open())).toEqual({});
    expect(deadlinePatch(before, open({ pausedSince: '2026-11-03T10:00:00+07:00' }))).toEqual({ pausedSince: '2026-11-03T10:00:00+07:00' });
  });
});
