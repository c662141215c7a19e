import type { OperationName } from '../model/department.js';
import type { DeliveryState } from '../model/status.js';
import type { Transaction } from './transaction.js';

/** One operation to send to a department, with its attempts and outcome (the outbox). */
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

/**
 * The deliveries of the outbox. Implemented by store/delivery-store.ts.
 * Rejects with the driver's error when the database cannot be reached.
 */
export interface DeliveryRepository {
  get(id: number, tx?: Transaction): Promise<DeliveryRow | undefined>;
  /** Lock the delivery row until `tx` ends. */
  lock(tx: Transaction, id: number): Promise<DeliveryRow | undefined>;
  /** Every delivery of a dossier, oldest first. */
  ofDossier(code: string, tx?: Transaction): Promise<DeliveryRow[]>;
  /** The latest delivery of each of these dossiers (by dossier code; absent when it has none), in one query. */
  latestOf(codes: string[], tx?: Transaction): Promise<Map<string, DeliveryRow>>;
  /**
   * Set the state (and `lastError` when given); `delivered` also stamps
   * `deliveredAt` and clears `lastError` (the failures stay on the timeline).
   */
  setState(tx: Transaction, id: number, state: DeliveryRow['state'], lastError?: string | null): Promise<void>;
  /** Back to `pending` for another try, with a fresh attempt budget, under `configVersion`. */
  requeue(tx: Transaction, id: number, configVersion: number): Promise<void>;
  /** Open (pending, delivering or failed) deliveries of a dossier, oldest first. */
  openOf(tx: Transaction, code: string): Promise<DeliveryRow[]>;
  /** The database's "now − olderThanMs" as an ISO instant: one cutoff for a whole sweep. */
  cutoff(olderThanMs: number): Promise<string>;
  /**
   * Open deliveries not touched since `before`, oldest first, of departments
   * not in `skip`, after `after` (the `at` and `id` of the last row of the
   * previous page): what the sweeper looks at.
   */
  stale(before: string, limit: number, skip?: string[], after?: StaleCursor): Promise<Array<Pick<DeliveryRow, 'id' | 'departmentId'> & StaleCursor>>;
  /** Mark re-queued rows as touched: the sweeps of the next SWEEP_STALE_MS pass them over. */
  touch(ids: number[]): Promise<void>;
  /** How many deliveries are in `state`. */
  count(state: DeliveryRow['state']): Promise<number>;
  /** Newest first; `cursor` is the id of the last row of the previous page. */
  list(filter: { state: DeliveryState; department?: string; operation?: string; limit: number; cursor?: number }): Promise<DeliveryListItem[]>;
  /** Ids of failed deliveries matching `filter`, after id `afterId`, ascending: one batch of a bulk retry. */
  failedIds(filter: FailedFilter, afterId: number, limit: number): Promise<number[]>;
  /** How many failed deliveries match (a dry run). */
  countFailed(filter: FailedFilter): Promise<number>;
  /**
   * Lock the dossiers of these deliveries (in code order, as every writer does: dossier before delivery)
   * and return their statuses, inside `tx`.
   */
  lockDossiersOf(tx: Transaction, ids: number[]): Promise<Map<string, string>>;
  /** Back to pending with a fresh budget under each department's current version, those of `ids` still failed; what was requeued. */
  requeueFailed(tx: Transaction, ids: number[]): Promise<Array<Pick<DeliveryRow, 'id' | 'dossierCode' | 'departmentId' | 'operation' | 'lastError' | 'configVersion'>>>;
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

/** Where a page of the sweep ended: the last row's `updated_at` (at full precision, as text) and id. */
export interface StaleCursor {
  at: string;
  id: number;
}
