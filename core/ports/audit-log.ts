import type { ChainedEntry } from '../audit/chain.js';
import type { AuditEntry } from '../audit/entry.js';
import type { Transaction } from './transaction.js';

/** One entry of the audit log as read back (every column the hash covers): `hash` null until sealed. */
export interface AuditRow extends ChainedEntry {
  hash: string | null;
}

export interface AuditFilter {
  subject?: string;
  action?: string;
  since?: string;
  limit: number;
  /** The `seq` of the last row of the previous page (newest first). */
  cursor?: number;
}

/**
 * The tamper-evident audit log (nhật ký kiểm toán). Implemented by
 * store/audit-store.ts. A change writes its entry inside its own
 * transaction: `await ctx.audit.write(tx, {actor, action, subject, detail})`.
 */
export interface AuditLog {
  write(tx: Transaction, entry: AuditEntry): Promise<void>;
  /** Newest first. */
  list(filter: AuditFilter): Promise<AuditRow[]>;
  /** The last sealed entry (seq 0 and 64 zeros when none) and how many wait to be sealed. */
  head(): Promise<{ seq: number; hash: string; unsealed: number }>;
}
