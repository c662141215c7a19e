import { describe, expect, it } from 'vitest';
import type { CalendarOverride } from '../calendar/working-calendar.js';
import type { Procedure } from '../model/procedure.js';
import type { DeadlineRepository } from '../ports/deadline-repository.js';
import { DeadlineConfig } from './deadline-config.js';

/** A repository another process writes to: counts what this process reads. */
function sharedRepo() {
  const state = { version: 1, procedures: [] as Procedure[], versionReads: 0, snapshots: 0 };
  const repo = {
    version: async () => (state.versionReads++, state.version),
    snapshot: async () => (state.snapshots++, { version: state.version, procedures: [...state.procedures], overrides: new Map<number, CalendarOverride>() }),
  } as unknown as DeadlineRepository;
  return { repo, state };
}

const proc = (code: string): Procedure => ({ code, name: 'x', processingTime: { value: 3, unit: 'working_days' }, fees: [], supplementPolicy: 'restart', updatedAt: '' });
const tick = () => new Promise((r) => setImmediate(r));

describe('DeadlineConfig (the catalog and calendar in memory)', () => {
  it('serves from memory, sees another process’s change within the TTL, and reloads only when the version moved', async () => {
    const { repo, state } = sharedRepo();
    let now = 0;
    const config = new DeadlineConfig(repo, { workingHours: '07:30-11:30,13:00-17:00', ttlMs: 1000, now: () => now });
    expect((await config.snapshot()).procedures.size).toBe(0);
    expect(state.snapshots).toBe(1);
    // Another process adds a procedure.
    state.procedures.push(proc('2.001610'));
    state.version = 2;
    now = 500;
    expect((await config.snapshot()).procedures.size).toBe(0);
    expect(state.versionReads).toBe(0);
    now = 1500;
    // Stale copy answered at once; the refresh runs behind it.
    expect((await config.snapshot()).procedures.size).toBe(0);
    await tick();
    await tick();
    expect(DeadlineConfig.lookup(await config.snapshot(), '2.001610.000.00.00.H63')?.code).toBe('2.001610');
    expect(state.snapshots).toBe(2);
    // Nothing changed: one version read, no reload.
    now = 3000;
    await config.snapshot();
    await tick();
    expect(state.versionReads).toBe(2);
    expect(state.snapshots).toBe(2);
  });
});
