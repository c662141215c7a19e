import type { ApiKeyRecord, KeyRepository } from '../core/ports/index.js';
import type { Db } from './db.js';

export type { ApiKeyRecord };

/** API keys, stored only as hashes. */
export class KeyStore implements KeyRepository {
  constructor(private readonly db: Db) {}

  async insert(record: ApiKeyRecord, keyHash: string): Promise<void> {
    await this.db.query('insert into api_keys (id, key_hash, role, department_id, name) values ($1, $2, $3, $4, $5)', [
      record.id,
      keyHash,
      record.role,
      record.departmentId,
      record.name,
    ]);
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
  async revoke(id: string): Promise<boolean> {
    const rows = await this.db.query('update api_keys set revoked_at = now() where id = $1 and revoked_at is null returning id', [id]);
    return rows.length > 0;
  }
}
