import type { Deadline, DeadlineFilter } from '../model/deadline.js';
import type { Dossier } from '../model/dossier.js';
import type { DossierResult } from '../model/event.js';
import type { Status } from '../model/status.js';
import type { DeliveryRow, NewDelivery } from './delivery-repository.js';
import type { PortalView } from './portal-repository.js';
import type { Transaction } from './transaction.js';

/** A stored dossier (hồ sơ), with its deadline columns (migration 004). */
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
  /** Deadline columns this entry changes (written with the entry, in its transaction). */
  deadline?: Partial<Deadline>;
}

export interface DossierFilter {
  status?: string;
  department?: string;
  deliveryState?: string;
  /** Open dossiers in one deadline state, with the date bounds computed from the calendar (`deadlineFilter`). */
  deadline?: DeadlineFilter;
  limit: number;
  cursor?: number;
}


/** A dossier as reads return it: with its national portal state when sync is on. */
export type DossierView = DossierRow & { portal?: PortalView | null };

/**
 * Dossiers and their append-only timeline (nhật ký xử lý).
 * Implemented by store/dossier-store.ts.
 *
 * Methods taking a {@link Transaction} run inside it and commit with it;
 * those taking an optional one read outside any transaction when it is
 * absent. Every method rejects with the driver's error when the database
 * cannot be reached; none retries.
 */
/** What {@link DossierRepository.accept} did. */
export type AcceptResult =
  | { created: true; deliveryId: number; row: DossierView; timeline: TimelineEntry[]; deliveries: DeliveryRow[] }
  | { created: false; existing: DossierRow }
  | { created: false; stale: true };

/**
 * What an accept's department was chosen from: its `version`, and the
 * procedure codes when it was routed (not named by the dossier). The accept
 * writes nothing unless the department still has that version, is enabled
 * and (when routed) still decides the procedure: a route cached a moment ago
 * is never used once it changed.
 */
export interface AcceptGuard {
  version: number;
  procedure?: { code: string; baseCode: string };
}

export interface DossierRepository {
  /**
   * Accept a dossier: the dossier row, its first timeline entry and its
   * pending `submit` delivery (and, with portal sync, its portal outbox row)
   * committed together — one statement on the store. When the code exists
   * already, nothing is written and the stored row is returned. When the
   * department is not (any more) the enabled one at `routedBy`, nothing is
   * written (`stale`): route again, from the store, and accept again.
   * A created dossier comes back as its resource's parts, as written.
   */
  accept(input: {
    dossier: Dossier;
    departmentId: string;
    status: Status;
    contentHash: string;
    /** Its deadline, computed in memory before the insert (no extra round trip); none when absent. */
    deadline?: Deadline;
    entry: NewTimelineEntry;
    delivery: Omit<NewDelivery, 'dossierCode'>;
    /** What the department was routed from (maybe a cached route), checked as the dossier is written; unchecked when absent. */
    routedBy?: AcceptGuard;
  }): Promise<AcceptResult>;
  /**
   * A delivery went through: the delivery becomes `delivered` and the dossier
   * gets `entry` (status, reference; the portal outbox row when the entry is
   * for the portal), all together, provided the dossier's status is still
   * `expected` (what the caller decided from). Resolves with the entry's seq,
   * or undefined when the status moved on meanwhile: nothing was written,
   * decide again from the current status.
   */
  delivered(code: string, expected: Status, entry: NewTimelineEntry, deliveryId: number): Promise<number | undefined>;
  /**
   * Claim a delivery for one attempt (`pending`/`delivering` → `delivering`,
   * attempts + 1) and read its dossier, in one go: what a delivery job needs
   * before it sends. Undefined when the delivery is not open any more
   * (delivered, cancelled, failed): the job has nothing to do.
   */
  startDelivery(deliveryId: number): Promise<(DeliveryRow & { dossier: DossierRow }) | undefined>;
  /** The dossier, or undefined when no dossier has this code. */
  get(code: string, tx?: Transaction): Promise<DossierView | undefined>;
  /**
   * Lock the dossier row until `tx` ends (events of one dossier apply one at
   * a time); undefined when there is no such dossier.
   */
  lock(tx: Transaction, code: string): Promise<DossierRow | undefined>;
  /** The newest dossier the department knows by its own id `reference`. */
  byReference(departmentId: string, reference: string): Promise<DossierRow | undefined>;
  /** Newest first, at most `filter.limit`; `cursor` is the internal id of the last row of the previous page. */
  list(filter: DossierFilter): Promise<DossierView[]>;
  /** Open dossiers of a department, with a reference, least recently changed first: what its `status` operation polls. */
  openForPolling(departmentId: string, limit: number): Promise<DossierRow[]>;
  /** The dossier's timeline in order (empty for an unknown code). */
  timeline(code: string, tx?: Transaction): Promise<TimelineEntry[]>;
  /** The entry of an event with this identity, when it was applied to the dossier already. */
  findByIdentity(tx: Transaction, code: string, identity: string): Promise<TimelineEntry | undefined>;
  /**
   * Append a timeline entry and set the dossier's status to the entry's
   * status (and its reference / results when the entry carries them).
   * Must run in a transaction that locked the dossier or created it; when
   * portal sync is on, the portal outbox row is written in it too.
   * Resolves with the entry's sequence number; throws when the dossier does not exist.
   */
  append(tx: Transaction, code: string, entry: NewTimelineEntry): Promise<number>;
  /** Add a pending delivery of the dossier; resolves with its id. */
  addDelivery(tx: Transaction, delivery: NewDelivery): Promise<number>;
  /** Replace the dossier's results list (under its lock). */
  setResults(tx: Transaction, code: string, results: unknown[]): Promise<void>;
  /** Codes of dossiers holding a result still to fetch, least recently changed first. */
  withPendingResults(limit: number): Promise<string[]>;
  /** Dossiers accepted before deadlines existed and still without a due date (migration 004), by id after `afterId`. */
  awaitingDeadline(afterId: number, limit: number): Promise<Array<{ id: number; code: string; procedureCode: string; receivedAt: string | null }>>;
  /** Give such a dossier its computed due date; false when another process did it first. */
  backfillDeadline(code: string, dueAt: string): Promise<boolean>;
}
