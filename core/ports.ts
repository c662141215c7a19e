import type { Adapter } from './adapter.js';
import type { Department, DepartmentConfig, OperationName } from './model/department.js';
import type { Dossier } from './model/dossier.js';
import type { DossierResult } from './model/event.js';
import type { DeliveryState, Status } from './model/status.js';

/** A stored dossier. */
export interface DossierRow {
  id: number;
  code: string;
  departmentId: string;
  procedureCode: string;
  status: Status;
  content: Dossier;
  contentHash: string;
  reference: string | null;
  results: DossierResult[];
  createdAt: string;
  updatedAt: string;
}

/** One entry of a dossier's timeline (nhật ký xử lý): who did what, when. */
export interface TimelineEntry {
  seq: number;
  type: string;
  at: string;
  status: Status;
  actor: string;
  note: string | null;
  detail: Record<string, unknown> | null;
}

export interface NewTimelineEntry {
  type: string;
  /** The dossier's status after this entry. */
  status: Status;
  actor: string;
  note?: string | null;
  detail?: Record<string, unknown>;
  /** Set for department events: replaying the same event is recognised by it. */
  identity?: string;
  /** The department's own id for the dossier, learnt with this entry. */
  reference?: string;
  /** Result documents to add to the dossier. */
  results?: DossierResult[];
}

export interface DeliveryRow {
  id: number;
  dossierCode: string;
  departmentId: string;
  operation: Exclude<OperationName, 'status'>;
  state: DeliveryState;
  configVersion: number;
  idempotencyKey: string;
  payload: unknown;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}

export interface NewDelivery {
  dossierCode: string;
  departmentId: string;
  operation: DeliveryRow['operation'];
  configVersion: number;
  idempotencyKey: string;
  payload?: unknown;
}

export interface DossierFilter {
  status?: string;
  department?: string;
  deliveryState?: string;
  limit: number;
  cursor?: number;
}

/**
 * The delivery queue (BullMQ, one queue per department). Queueing the same
 * delivery twice is harmless: jobs are keyed by delivery id.
 */
export interface DeliveryQueue {
  /** Throws when the queue cannot be reached: the caller keeps the delivery pending for the sweeper. */
  enqueue(delivery: { id: number; departmentId: string }): Promise<void>;
  /** Queue many (one bulk add per department: callers keep batches to a few hundred). */
  enqueueMany(deliveries: Array<{ id: number; departmentId: string }>): Promise<void>;
}

/** A delivery as GET /v1/deliveries lists it. */
export interface DeliveryListItem {
  id: number;
  dossierCode: string;
  department: string;
  operation: DeliveryRow['operation'];
  state: DeliveryState;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
}

/** Which failed deliveries a bulk retry takes (all given filters together). */
export interface FailedFilter {
  department?: string;
  operation?: string;
  /** Failed at or after / before (the delivery's last change). */
  failedAfter?: string;
  failedBefore?: string;
  /** Case-insensitive substring of the last error. */
  errorContains?: string;
}

/** Adapters per department config version, created on first use and reused. */
export interface AdapterProvider {
  get(department: Pick<Department, 'id' | 'version'>, config: DepartmentConfig): Adapter;
}

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
  /** May a delivery be attempted now? One at a time while half-open (`holder` = the job). */
  admit(departmentId: string, holder: string): Promise<{ ok: true } | { ok: false; reason: WaitingReason }>;
  /** The attempt's outcome: `transient` counts toward opening; `delivered` and `permanent` (the department answered) close. */
  record(departmentId: string, outcome: 'delivered' | 'transient' | 'permanent', settings: { failures: number; probeMs: number }, error?: string): Promise<CircuitState>;
  /** Give back a half-open slot taken by an attempt that did not happen. */
  release(departmentId: string, holder: string): Promise<void>;
  /** Mirror the stored pause flag (the store is the truth; this is what workers read). */
  setPaused(departmentId: string, paused: boolean): Promise<void>;
  view(departmentId: string): Promise<CircuitView>;
  /** Every department's circuit, for gauges and alerts. */
  circuits(departmentIds: string[]): Promise<Array<CircuitView & { departmentId: string }>>;
}
