import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/** When the gateway of `start` counts as busy (its deliveries then give way: queue/workers.ts `giveWay`). */
export interface BusyOptions {
  /** Requests in flight from which requests are waiting. */
  requests: number;
  /** Share of the time the event loop ran, since the last look, from which it has none to spare. */
  utilization: number;
  /** The event loop's utilization (performance.eventLoopUtilization; replaced in tests). */
  elu?: (now?: EventLoopUtilization, before?: EventLoopUtilization) => EventLoopUtilization;
}

/**
 * `start` runs the gateway and the workers in one thread. The gateway is busy
 * when requests are waiting *and* the thread had no time to spare since the
 * last call: only then do deliveries take the time the requests need.
 * Requests that wait on the network (a slow upload, a client that does not
 * finish its body) take no time from the thread, and so do not hold the
 * deliveries back. Called once per look (every 100 ms).
 */
export function gatewayBusy(requests: { inFlight: number }, options: BusyOptions): () => boolean {
  const elu = options.elu ?? ((now, before) => performance.eventLoopUtilization(now, before));
  let last = elu();
  return () => {
    const now = elu();
    const used = elu(now, last).utilization;
    last = now;
    return requests.inFlight >= options.requests && used >= options.utilization;
  };
}
