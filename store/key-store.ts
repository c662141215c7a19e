import type { ApiKeyListing, ApiKeyRecord, KeyRepository } from '../core/ports/index.js';
import type { Db } from './db.js';

export type { ApiKeyListing, ApiKeyRecord };

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

  /** Every key, newest first (revoked ones too, marked), without secrets or hashes. */
  async list(): Promise<ApiKeyListing[]> {
    const rows = await this.db.query<{ id: string; role: string; department: string | null; name: string; createdAt: Date | string; lastUsedAt: Date | string | null; revoked: boolean }>(
      `select id, role, department_id as department, name, created_at as "createdAt",
              last_used_at as "lastUsedAt", revoked_at is not null as revoked
         from api_keys order by created_at desc, id`,
    );
    const iso = (v: Date | string) => new Date(v).toISOString();
    return rows.map((r) => ({ ...r, createdAt: iso(r.createdAt), lastUsedAt: r.lastUsedAt ? iso(r.lastUsedAt) : null }));
  }

  /** Record that a key was used now, unless that was recorded less than a minute ago. */
  async touch(id: string): Promise<void> {
    await this.db.query(
      `update api_keys set last_used_at = now()
        where id = $1 and (last_used_at is null or last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }

  /** Revoke a key; false when there is no such live key. */
  async revoke(id: string): Promise<boolean> {
    const rows = await this.db.query('update api_keys set revoked_at = now() where id = $1 and revoked_at is null returning id', [id]);
    return rows.length > 0;
  }
}
