import { SYSTEM_ACTOR, type AuditActor } from '../core/audit/entry.js';
import { writeAudit } from './audit-store.js';
import type { ApiKeyRecord, KeyRepository } from '../core/ports/index.js';
import type { Db } from './db.js';

export type { ApiKeyRecord };

/** Longest a looked-up key is trusted without asking the database again: a revoked key stops working within it everywhere. */
export const KEY_CACHE_MAX_MS = 1000;
/** Live keys kept in memory at most (a center has a few dozen). */
const KEY_CACHE_SIZE = 10_000;

/**
 * API keys, stored only as hashes. A live key found by `byHash` is kept in
 * memory for `cacheMs` (≤ 1 s): every request carries a key, and this spares
 * the database a lookup per request. `revoke` empties this process's cache at
 * once; other processes see the revocation when their entry expires, within
 * `cacheMs`. Unknown keys are never cached (a key created elsewhere works at
 * once).
 */
export class KeyStore implements KeyRepository {
  private readonly live = new Map<string, { record: ApiKeyRecord; until: number }>();

  constructor(
    private readonly db: Db,
    private readonly cacheMs: number = KEY_CACHE_MAX_MS,
  ) {
    if (cacheMs < 0 || cacheMs > KEY_CACHE_MAX_MS) throw new Error(`key cache must be 0..${KEY_CACHE_MAX_MS} ms, got ${cacheMs}`);
  }

  /** Store a new key (its hash only), with its audit entry `key.created`. */
  async insert(record: ApiKeyRecord, keyHash: string, actor: AuditActor = SYSTEM_ACTOR): Promise<void> {
    await this.db.tx(async (q) => {
      await q.query('insert into api_keys (id, key_hash, role, department_id, name) values ($1, $2, $3, $4, $5)', [
        record.id,
        keyHash,
        record.role,
        record.departmentId,
        record.name,
      ]);
      await writeAudit(q, { actor, action: 'key.created', subject: `key:${record.id}`, detail: { role: record.role, department: record.departmentId } });
    });
  }

  async byHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const now = performance.now();
    const hit = this.live.get(keyHash);
    if (hit && hit.until > now) return hit.record;
    this.live.delete(keyHash);
    const [row] = await this.db.query<ApiKeyRecord>(
      `select id, role, department_id as "departmentId", name from api_keys
        where key_hash = $1 and revoked_at is null`,
      [keyHash],
    );
    if (row && this.cacheMs > 0) {
      if (this.live.size >= KEY_CACHE_SIZE) this.live.delete(this.live.keys().next().value!);
      this.live.set(keyHash, { record: row, until: now + this.cacheMs });
    }
    return row;
  }

  /** A live (not revoked) key by its id: console sessions check their key with it on every request. */
  async byId(id: string): Promise<ApiKeyRecord | undefined> {
    const [row] = await this.db.query<ApiKeyRecord>(
      `select id, role, department_id as "departmentId", name from api_keys where id = $1 and revoked_at is null`,
      [id],
    );
    return row;
  }

  /** Revoke a key; false when there is no such live key. */
  async revoke(id: string, actor: AuditActor = SYSTEM_ACTOR): Promise<boolean> {
    return this.db.tx(async (q) => {
      const rows = await q.query('update api_keys set revoked_at = now() where id = $1 and revoked_at is null returning id', [id]);
      if (rows.length > 0) await writeAudit(q, { actor, action: 'key.revoked', subject: `key:${id}` });
      this.live.clear();
      return rows.length > 0;
    });
  }
}
