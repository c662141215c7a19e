import { SYSTEM_ACTOR, type AuditActor } from '../core/audit/entry.js';
import { writeAudit } from './audit-store.js';
import type { ApiKeyRecord, KeyRepository } from '../core/ports/index.js';
import type { Db } from './db.js';

export type { ApiKeyRecord };

/** API keys, stored only as hashes. */
export class KeyStore implements KeyRepository {
  constructor(private readonly db: Db) {}

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
    const [row] = await this.db.query<ApiKeyRecord>(
      `select id, role, department_id as "departmentId", name from api_keys
        where key_hash = $1 and revoked_at is null`,
      [keyHash],
    );
    return row;
  }

  /** Revoke a key; false when there is no such live key. */
  async revoke(id: string, actor: AuditActor = SYSTEM_ACTOR): Promise<boolean> {
    return this.db.tx(async (q) => {
      const rows = await q.query('update api_keys set revoked_at = now() where id = $1 and revoked_at is null returning id', [id]);
      if (rows.length > 0) await writeAudit(q, { actor, action: 'key.revoked', subject: `key:${id}` });
      return rows.length > 0;
    });
  }
}
