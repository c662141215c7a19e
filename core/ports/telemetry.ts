/** Where a department event came from (the `source` label of lienthong_events_total). */
export type EventSource = 'callback' | 'poll' | 'file' | 'soap';

/**
 * What the use-cases report to the metrics (runtime/metrics.ts implements it
 * with prom-client). Every call is cheap and synchronous: counters and
 * histograms in memory, nothing on the wire. Labels never carry a dossier
 * code or personal data: departments are agency codes.
 */
export interface Telemetry {
  dossierAccepted(department: string): void;
  deliveryAttempt(department: string, operation: string, outcome: 'delivered' | 'transient' | 'permanent', seconds: number): void;
  /** A `submit` delivered: seconds since the dossier was accepted. */
  acceptToDelivered(department: string, seconds: number): void;
  event(department: string, source: EventSource, applied: boolean): void;
}

/** Telemetry that records nothing (CLI commands, tests that do not look). */
export const noTelemetry: Telemetry = {
  dossierAccepted() {},
  deliveryAttempt() {},
  acceptToDelivered() {},
  event() {},
};
