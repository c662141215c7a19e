import type { ChangedBy } from '../audit/entry.js';

/** A department's circuit: closed (deliveries flow), open (none attempted), half_open (one goes through). */
export type CircuitState = 'closed' | 'half_open' | 'open';

/** Why a pending delivery is not being attempted (`delivery.waiting` of a dossier). */
export type WaitingReason = 'department_down' | 'paused';

/** The live circuit of a department (sức khỏe kết nối của sở). Timestamps ISO 8601 or null. */
export interface CircuitView {
  circuit: CircuitState;
  since: string | null;
  consecutiveFailures: number;
  lastError: string | null;
  lastSuccessAt: string | null;
  paused: boolean;
}

/**
 * The circuit breaker per department, shared by every process (Redis:
 * queue/breaker.ts). `admit` before an attempt; `record` its outcome. The
 * follow-up branch's `department_down` alert reads `circuits()`.
 */
export interface CircuitBreaker {
  /**
   * May a delivery be attempted now? One at a time while half-open (`holder`
   * = the job). `clean`: the circuit was closed with no failure counted.
   */
  admit(departmentId: string, holder: string): Promise<{ ok: true; clean: boolean } | { ok: false; reason: WaitingReason }>;
  /**
   * The attempt's outcome: `transient` counts toward opening; `delivered` and
   * `permanent` (the department answered) close. `admitted`: what `admit`
   * said for this attempt (a success admitted clean changes nothing but the
   * time of the last success, which may then be written less often).
   */
  record(
    departmentId: string,
    outcome: 'delivered' | 'transient' | 'permanent',
    settings: { failures: number; probeMs: number },
    error?: string,
    admitted?: { clean: boolean },
  ): Promise<CircuitState>;
  /** Give back a half-open slot taken by an attempt that did not happen. */
  release(departmentId: string, holder: string): Promise<void>;
  /** Mirror the stored pause flag (the store is the truth; this is what workers read). */
  setPaused(departmentId: string, paused: boolean): Promise<void>;
  view(departmentId: string): Promise<CircuitView>;
  /** Every department's circuit, for gauges and alerts (`department_down`). */
  circuits(departmentIds: string[]): Promise<Array<CircuitView & { departmentId: string }>>;
}

/**
 * Departments paused by hand: the stored truth, surviving restarts and a
 * Redis wipe. Implemented by store/health-store.ts.
 */
export interface PauseRepository {
  /** Pause or resume, with its audit entry (`department.paused` / `department.resumed`), in one transaction. */
  setPaused(id: string, paused: boolean, by: ChangedBy): Promise<void>;
  isPaused(id: string): Promise<boolean>;
  /** Every department's stored pause flag (those never paused are absent). */
  all(): Promise<Map<string, boolean>>;
}
