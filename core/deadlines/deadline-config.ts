import { baseProcedureCode } from '../model/codes.js';
import type { Procedure } from '../model/procedure.js';
import { WorkingCalendar } from '../calendar/working-calendar.js';
import type { DeadlineRepository } from '../ports/deadline-repository.js';

/** The catalog and the calendar as one process holds them in memory. */
export interface DeadlineSnapshot {
  version: number;
  calendar: WorkingCalendar;
  procedures: ReadonlyMap<string, Procedure>;
}

/**
 * The procedure catalog and working calendar, kept in memory so that the
 * accept path and every resource compute deadlines without a round trip.
 * A change made through this process reloads at once (`changed`); a change
 * made by another process is seen within `ttlMs` (plus one query): a stale
 * copy is served while a background refresh reads the shared version and,
 * when it moved, everything.
 */
export class DeadlineConfig {
  private current?: DeadlineSnapshot;
  private checkedAt = 0;
  private refreshing?: Promise<void>;

  constructor(
    private readonly repo: DeadlineRepository,
    private readonly options: { workingHours: string; ttlMs?: number; now?: () => number; onError?: (err: Error) => void },
  ) {
    // Fail fast on bad hours (the settings check them already).
    new WorkingCalendar(options.workingHours);
  }

  private get now() {
    return (this.options.now ?? Date.now)();
  }

  /** The current snapshot; loads it on first use; never waits for a refresh after that. */
  async snapshot(): Promise<DeadlineSnapshot> {
    if (!this.current) {
      await this.reload();
      return this.current!;
    }
    if (this.now - this.checkedAt > (this.options.ttlMs ?? 1000)) void this.refresh();
    return this.current;
  }

  /** The working calendar now (see `snapshot`). */
  async calendar(): Promise<WorkingCalendar> {
    return (await this.snapshot()).calendar;
  }

  /** The catalog entry of a dossier's procedure: its code as given, then its national base code. */
  static lookup(snapshot: DeadlineSnapshot, code: string): Procedure | undefined {
    return snapshot.procedures.get(code) ?? snapshot.procedures.get(baseProcedureCode(code));
  }

  /** After a write through this process: reload before answering. */
  async changed(): Promise<void> {
    await this.reload();
  }

  private refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const version = await this.repo.version();
        this.checkedAt = this.now;
        if (version !== this.current?.version) await this.reload();
      } catch (err) {
        this.options.onError?.(err as Error);
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  private async reload(): Promise<void> {
    const checkedAt = this.now;
    const { version, procedures, overrides } = await this.repo.snapshot();
    this.current = {
      version,
      calendar: new WorkingCalendar(this.options.workingHours, overrides),
      procedures: new Map(procedures.map((p) => [p.code, p])),
    };
    this.checkedAt = checkedAt;
  }
}
