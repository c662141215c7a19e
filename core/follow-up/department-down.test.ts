import { describe, expect, it } from 'vitest';
import { checkFailures, openCircuits, type CircuitSource } from './department-down.js';

const circuits = (states: Record<string, 'closed' | 'half_open' | 'open'>): CircuitSource => ({
  circuits: async (ids) =>
    ids.map((departmentId) => ({ departmentId, circuit: states[departmentId] ?? 'closed', since: '2026-12-01T02:00:00.000Z', consecutiveFailures: states[departmentId] === 'closed' ? 0 : 5, lastError: 'HTTP 503 from POST http://dept/applications: phone 0912345678' })),
});

describe('department_down from the circuit breaker', () => {
  it('opens for an open or half-open circuit, and asks the check only of the departments whose circuit is closed', async () => {
    const checked: string[] = [];
    const source = openCircuits(async () => ['A', 'B', 'C', 'D'], circuits({ A: 'open', B: 'half_open', C: 'closed', D: 'closed' }), (ids) =>
      checkFailures({ enabledIds: async () => ids, check: async (id) => (checked.push(id), { ok: id !== 'D', latencyMs: 3, detail: id === 'D' ? 'connection refused' : 'ok' }) }),
    );
    const down = await source();
    expect(checked.sort()).toEqual(['C', 'D']);
    expect(down.map((d) => [d.subject, (d.detail as { source: string }).source]).sort()).toEqual([['A', 'circuit'], ['B', 'circuit'], ['D', 'check']]);
    expect(down.find((d) => d.subject === 'A')?.detail).toMatchObject({ circuit: 'open', consecutiveFailures: 5 });
    // No personal data from the department's answer in the alert.
    expect(JSON.stringify(down)).not.toContain('0912345678');
  });

  it('with every circuit closed and no fallback, nothing is down', async () => {
    expect(await openCircuits(async () => ['A'], circuits({}))()).toEqual([]);
  });
});
