import type {
  ConsoleSessionRecord,
  ConsoleSessionRepository,
  SignInAttempts,
} from '../core/console/ports.js';
import type { Db } from './db.js';

const SESSION_COLUMNS = `id_hash as "idHash", key_id as "keyId", role, department_id as "departmentId", name,
  created_at as "createdAt", last_seen_at as "lastSeenAt", expires_at as "expiresAt"`;

/** `console_sessions` (migration 007): console sessions, on the database's clock. */
export class ConsoleSessionStore implements ConsoleSessionRepository {
  constructor(private readonly db: Db) {}

  async create(s: Omit<ConsoleSessionRecord, 'createdAt' | 'lastSeenAt' | 'expiresAt'>, absoluteMs: number): Promise<ConsoleSessionRecord> {
    const [row] = await this.db.query<ConsoleSessionRecord>(
      `insert into console_sessions (id_hash, key_id, role, department_id, name, expires_at)
       values ($1, $2, $3, $4, $5, now() + $6::bigint * interval '1 millisecond') returning ${SESSION_COLUMNS}`,
      [s.idHash, s.keyId, s.role, s.departmentId, s.name, absoluteMs],
    );
    if (!row) throw new Error('session insert returned nothing');
    // Expired sessions of anyone are cleared now and then, on sign-in.
    await this.db.query('delete from console_sessions where expires_at < now()');
    return row;
  }

  async touch(idHash: string, idleMs: number): Promise<ConsoleSessionRecord | undefined> {
    const [row] = await this.db.query<ConsoleSessionRecord>(
      `update console_sessions set last_seen_at = now()
        where id_hash = $1 and expires_at > now() and last_seen_at > now() - $2::bigint * interval '1 millisecond'
        returning ${SESSION_COLUMNS}`,
      [idHash, idleMs],
    );
    if (!row) await this.delete(idHash);
    return row;
  }

  async delete(idHash: string): Promise<void> {
    await this.db.query('delete from console_sessions where id_hash = $1', [idHash]);
  }

  async deleteForKey(keyId: string): Promise<number> {
    return (await this.db.query('delete from console_sessions where key_id = $1 returning 1', [keyId])).length;
  }
}

/** `console_sign_ins` (migration 007): attempts per hashed address. */
export class SignInAttemptStore implements SignInAttempts {
  constructor(private readonly db: Db) {}

  async failures(addressHash: string, windowMs: number): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      `select count(*)::int as n from console_sign_ins
        where address_hash = $1 and not ok and at > now() - $2::bigint * interval '1 millisecond'`,
      [addressHash, windowMs],
    );
    return row?.n ?? 0;
  }

  async record(addressHash: string, ok: boolean, keepMs: number): Promise<void> {
    await this.db.query('insert into console_sign_ins (address_hash, ok) values ($1, $2)', [addressHash, ok]);
    await this.db.query(`delete from console_sign_ins where address_hash = $1 and at < now() - $2::bigint * interval '1 millisecond'`, [addressHash, keepMs]);
  }
}
