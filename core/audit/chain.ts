import { createHash } from 'node:crypto';

/**
 * The audit log's hash chain (chuỗi băm của nhật ký kiểm toán).
 *
 * Each entry's `hash` is the SHA-256 (lowercase hex) of the previous entry's
 * `hash` followed by the entry's canonical JSON; the first entry follows
 * `GENESIS_HASH`. Changing, removing or inserting an entry breaks every hash
 * from there on; `lienthong audit verify` recomputes them.
 *
 * Canonical JSON: `JSON.stringify` of the entry with every object's keys
 * sorted (by UTF-16 code units, recursively), no white space, timestamps as
 * ISO 8601 UTC with milliseconds (`2026-12-01T02:30:00.123Z`), `seq` as a number.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** The columns a hash covers: every column of `audit_log` but `hash`. */
export interface ChainedEntry {
  seq: number;
  /** ISO 8601 timestamp (any offset; normalised to UTC milliseconds). */
  at: string;
  actor: Record<string, unknown>;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
}

function sortKeys(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** JSON with sorted keys and no white space. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** The canonical JSON of an entry (the part its hash covers). */
export function canonicalEntry(e: ChainedEntry): string {
  return canonicalJson({
    seq: Number(e.seq),
    at: new Date(e.at).toISOString(),
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    detail: e.detail ?? {},
  });
}

/** hash(entry) = sha256_hex(previousHash + canonicalEntry(entry)). */
export function entryHash(previousHash: string, e: ChainedEntry): string {
  return createHash('sha256').update(previousHash).update(canonicalEntry(e)).digest('hex');
}
