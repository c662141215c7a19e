import type { AuditActor } from '../audit/entry.js';
/** An API key as stored: never the key itself, only who it is for. */
export interface ApiKeyRecord {
  id: string;
  role: string;
  departmentId: string | null;
  name: string;
}

/**
 * API keys, stored only as hashes. Implemented by store/key-store.ts.
 * Rejects with the driver's error when the database cannot be reached.
 */
export interface KeyRepository {
  /** Store a new key under its hash; rejects when the id exists. */
  insert(record: ApiKeyRecord, keyHash: string, actor?: AuditActor): Promise<void>;
  /** The live (not revoked) key with this hash, or undefined. */
  byHash(keyHash: string): Promise<ApiKeyRecord | undefined>;
  /** The live (not revoked) key with this id, or undefined: console sessions re-check their key with it on every request. */
  byId(id: string): Promise<ApiKeyRecord | undefined>;
  /** Revoke a key; false when there is no such live key. */
  revoke(id: string, actor?: AuditActor): Promise<boolean>;
}
