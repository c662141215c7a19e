import type { Transaction } from './transaction.js';

/** A dossier's national portal (Cổng DVCQG) state, as the dossier resource shows it (`portal`). */
export interface PortalView {
  state: 'pending' | 'synced' | 'rejected';
  syncedAt?: string | null;
  message?: string | null;
}

/** A dossier claimed for one push: what the portal has acknowledged so far. */
export interface PortalClaim {
  code: string;
  known: boolean;
  ackedSeq: number;
  resync: boolean;
  attempts: number;
  /** How many times the dossier was claimed, this time included: > 1 means an earlier push may have reached the portal. */
  claims: number;
}

/** How many dossiers are in each portal state, and since when the oldest pending one waits. */
export interface PortalCounts {
  pending: number;
  synced: number;
  rejected: number;
  oldestPendingAt: string | null;
}

/**
 * The portal outbox: one row per dossier, written with each timeline entry
 * meant for the portal (in the entry's transaction), claimed by pushers
 * with a lease, moved forward as the portal accepts.
 * Implemented by store/portal-store.ts. Safe with many workers: a leased
 * dossier has one pusher. Rejects with the driver's error when the database
 * cannot be reached.
 */
export interface PortalRepository {
  /** Called after a row is written, before its transaction commits: a hint to look soon. Returns "stop listening". */
  onRecorded(listener: () => void): () => void;
  /** Claim up to `limit` due dossiers for `leaseMs` under `token`; rows leased or locked elsewhere are skipped. */
  claim(token: string, limit: number, leaseMs: number): Promise<PortalClaim[]>;
  /** Claim one dossier now, whatever its backoff; undefined when it is not pending or another pusher holds it. */
  claimOne(code: string, token: string, leaseMs: number): Promise<PortalClaim | undefined>;
  /** The portal accepted a call: record it and extend the lease. False when the lease was lost (stop pushing). */
  ack(code: string, token: string, progress: { known?: boolean; ackedSeq?: number }, leaseMs: number): Promise<boolean>;
  /** Done up to entry `upTo`: synced, unless an entry came after it or a resync was asked meanwhile. False when the lease was lost. */
  finish(code: string, token: string, upTo: number, pushedResync: boolean): Promise<boolean>;
  /** A transient failure: try again after `delayMs`, showing `message` meanwhile; releases the lease. */
  retryLater(code: string, token: string, delayMs: number, message: string): Promise<void>;
  /** The portal refused the dossier: kept `rejected` with `message` until resent. False when the lease was lost. */
  reject(tx: Transaction, code: string, token: string, message: string): Promise<boolean>;
  /** Back to pending after a fix, pushing the whole dossier again. False unless it was rejected. */
  resend(tx: Transaction, code: string): Promise<boolean>;
  /** Every dossier changed since `since` (ISO instant) is pushed again as a whole; resolves with their codes. */
  markResync(since: string, actor?: Record<string, unknown>): Promise<string[]>;
  /** The dossier's portal state, or undefined when it has no portal row. */
  view(code: string): Promise<PortalView | undefined>;
  counts(): Promise<PortalCounts>;
}
