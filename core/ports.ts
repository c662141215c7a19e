import type { Adapter } from './adapter.js';
import type { Deadline } from './deadlines/clock.js';
import type { DeadlineFilter } from './deadlines/deadline-view.js';
import type { Department, DepartmentConfig, OperationName } from './model/department.js';
import type { Dossier } from './model/dossier.js';
import type { DossierResult } from './model/event.js';
import type { DeliveryState, Status } from './model/status.js';

/** A stored dossier, with its deadline columns (migration 004). */
export interface DossierRow extends Deadline {
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
  /** Deadline columns this entry changes (set with the entry, in its transaction). */
  deadline?: Partial<Deadline>;
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
  /** Open dossiers in one deadline state, with the date bounds computed from the calendar. */
  deadline?: DeadlineFilter;
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
}

/** Adapters per department config version, created on first use and reused. */
export interface AdapterProvider {
  get(department: Pick<Department, 'id' | 'version'>, config: DepartmentConfig): Adapter;
}
