import type { EventLoopUtilization } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { gatewayBusy } from './busy.js';

/** An event loop whose idle and active milliseconds the test moves on. */
function loop() {
  const total = { idle: 0, active: 0 };
  const elu = (now?: EventLoopUtilization, before?: EventLoopUtilization): EventLoopUtilization => {
    if (!now) return { ...total, utilization: total.active / (total.idle + total.active || 1) };
    const idle = now.idle - (before?.idle ?? 0);
    const active = now.active - (before?.active ?? 0);
    return { idle, active, utilization: active / (idle + active || 1) };
  };
  return { elu, run: (activeMs: number, idleMs: number) => Object.assign(total, { active: total.active + activeMs, idle: total.idle + idleMs }) };
}

describe('gatewayBusy', () => {
  it('is busy only while requests wait and the loop had no time to spare since the last look', () => {
    const requests = { inFlight: 0 };
    const l = loop();
    const busy = gatewayBusy(requests, { requests: 8, utilization: 0.9, elu: l.elu });

    l.run(95, 5);
    expect(busy()).toBe(false); // the loop is full, but no request waits (deliveries alone)
    requests.inFlight = 12;
    l.run(95, 5);
    expect(busy()).toBe(true);
    l.run(50, 50);
    expect(busy()).toBe(false); // requests in flight that wait on the network: the loop has time to spare
    requests.inFlight = 7;
    l.run(100, 0);
    expect(busy()).toBe(false);
  });

  it('measures each look from the one before, not from the start', () => {
    const requests = { inFlight: 20 };
    const l = loop();
    const busy = gatewayBusy(requests, { requests: 8, utilization: 0.9, elu: l.elu });
    l.run(0, 10_000); // a long idle start
    expect(busy()).toBe(false);
    l.run(99, 1);
    expect(busy()).toBe(true);
  });

  it('reads the real event loop by default', async () => {
    const busy = gatewayBusy({ inFlight: 100 }, { requests: 8, utilization: 0.9 });
    const end = performance.now() + 60;
    while (performance.now() < end); // the loop runs all the time
    expect(busy()).toBe(true);
    await new Promise((r) => setTimeout(r, 60)); // the loop waits
    expect(busy()).toBe(false);
  });
});
