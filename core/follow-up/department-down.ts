import type { AlertCondition } from './alert.js';
import { scrub } from './alert.js';

/**
 * Where `department_down` comes from: the departments that are down now.
 * Replaceable in one place (createServices): today it runs each enabled
 * department's `check`; with the circuit breaker it reads the open circuits.
 * Throws when it cannot tell (its alerts are then left as they are).
 */
export type DepartmentDownSource = () => Promise<AlertCondition[]>;

export interface CheckablePort {
  /** Enabled departments' ids. */
  enabledIds(): Promise<string[]>;
  /** The department's transport check (POST /v1/departments/{id}/check). */
  check(id: string): Promise<{ ok: boolean; latencyMs: number; detail: string }>;
}

/** `department_down` from each enabled department's check failing (at most `concurrency` at once). */
export function checkFailures(departments: CheckablePort, concurrency = 4): DepartmentDownSource {
  return async () => {
    const ids = await departments.enabledIds();
    const down: AlertCondition[] = [];
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++] as string;
        const result = await departments.check(id).catch((err: unknown) => ({ ok: false, latencyMs: 0, detail: (err as Error).message }));
        if (!result.ok) {
          down.push({ kind: 'department_down', subject: id, department: id, detail: { source: 'check', detail: scrub(result.detail), latencyMs: result.latencyMs } });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
    return down;
  };
}
