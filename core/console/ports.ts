import type { Deadline, DeadlineFilter } from '../model/deadline.js';
import type { Role } from '../model/principal.js';
import type { DeliveryState, Status } from '../model/status.js';

/**
 * Ports of the operator console (bảng điều khiển). Implemented by
 * store/console-store.ts on PostgreSQL or PGlite; every instant is read on the
 * database's clock, so many gateways agree on expiry.
 */

/** A console session (phiên làm việc) as stored: never the session id itself, only its hash. */
export interface ConsoleSessionRecord {
  idHash: string;
  /** The API key it was opened with (`key_...`, or `env:admin:<fingerprint>` for ADMIN_API_KEY). */
  keyId: string;
  role: Role;
  departmentId: string | null;
  /** The key's name, as written on timelines. */
  name: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

export interface ConsoleSessionRepository {
  /** Store a new session that ends `absoluteMs` from now at the latest. */
  create(session: Omit<ConsoleSessionRecord, 'createdAt' | 'lastSeenAt' | 'expiresAt'>, absoluteMs: number): Promise<ConsoleSessionRecord>;
  /**
   * The live session with this hash, its `lastSeenAt` moved to now. Undefined
   * (and the row deleted) when it is absent, past its absolute expiry, or idle
   * for longer than `idleMs`.
   */
  touch(idHash: string, idleMs: number): Promise<ConsoleSessionRecord | undefined>;
  /** Sign-out: the session is gone. Deleting an absent one is not an error. */
  delete(idHash: string): Promise<void>;
  /** End every session of a key (revocation); how many ended. */
  deleteForKey(keyId: string): Promise<number>;
}

/** Sign-in attempts per address (only a hash of the address is kept). */
export interface SignInAttempts {
  /** Failed attempts from this address within the last `windowMs`. */
  failures(addressHash: string, windowMs: number): Promise<number>;
  /** Record one attempt; old rows (older than `keepMs`) may be pruned on the way. */
  record(addressHash: string, ok: boolean, keepMs: number): Promise<void>;
}

/**
 * One row of the console's dossier list: light, no personal data but the
 * applicant's name; with its deadline columns (`Deadline`, migration 004),
 * judged into a state by ConsoleQueries.
 */
export interface DossierListRow extends Deadline {
  id: number;
  code: string;
  procedureCode: string;
  procedureName: string;
  applicantName: string;
  departmentId: string;
  status: Status;
  /** The state of the dossier's latest delivery, null when it has none. */
  deliveryState: DeliveryState | null;
  createdAt: string;
  updatedAt: string;
}

export interface DossierListFilter {
  /** A dossier code (or part of one) or the department's own reference. */
  q?: string;
  status?: Status;
  department?: string;
  /** Open dossiers in one deadline state (bounds from core's `deadlineFilter`, as `GET /v1/dossiers?deadline=`). */
  deadline?: DeadlineFilter;
  /** Internal id of the last row of the previous page. */
  cursor?: number;
  limit: number;
}

/** A failed delivery (needs an operator). */
export interface FailedDeliveryRow {
  id: number;
  dossierCode: string;
  departmentId: string;
  operation: string;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
}

/** A dossier the national portal rejected. */
export interface PortalRejectionRow {
  dossierCode: string;
  departmentId: string;
  message: string | null;
  updatedAt: string;
}

/** Counts per day (dd = calendar date in UTC+7, `YYYY-MM-DD`). */
export interface DailyCount {
  day: string;
  count: number;
}

/**
 * What the console's pages read, beyond the dossier resource. Every method is
 * scoped by `department` when given (a department key sees only its own).
 */
export interface ConsoleReadModel {
  /** Open dossiers: not resolved, returned, withdrawn nor not accepted. */
  openDossiers(department?: string): Promise<number>;
  /** Deliveries in state `failed`. */
  failedDeliveries(department?: string): Promise<number>;
  /** Dossiers accepted per day (UTC+7) since `since`. */
  receivedPerDay(since: string, department?: string): Promise<DailyCount[]>;
  /** Dossiers that became `resolved` per day (UTC+7) since `since`. */
  resolvedPerDay(since: string, department?: string): Promise<DailyCount[]>;
  /** Deliveries waiting to be sent or being sent (pending, delivering), per department. */
  queuedPerDepartment(department?: string): Promise<Array<{ departmentId: string; count: number }>>;
  /** Open running dossiers in the filter's deadline state (quá hạn, sắp đến hạn, ...), the same rule as the list's. */
  countByDeadline(filter: DeadlineFilter, department?: string): Promise<number>;
  /** Newest first, `limit` rows at most. */
  listDossiers(filter: DossierListFilter): Promise<DossierListRow[]>;
  /** Newest failure first; cursor is the `id` of the last row of the previous page. */
  listFailedDeliveries(filter: { department?: string; cursor?: { updatedAt: string; id: number }; limit: number }): Promise<FailedDeliveryRow[]>;
  /** Rejected by the national portal, newest first. */
  listPortalRejections(filter: { department?: string; limit: number }): Promise<PortalRejectionRow[]>;
  /** Open alerts (state `open`), for the overview: the rows `GET /v1/alerts?state=open` lists for that scope. */
  openAlerts(department?: string): Promise<number>;
  /** Every department's id and name, for labels and filters. */
  departmentNames(): Promise<Array<{ id: string; name: string; enabled: boolean }>>;
}
