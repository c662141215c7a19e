import { randomBytes, timingSafeEqual } from 'node:crypto';
import { notFound } from '../errors.js';
import { sha256Hex } from '../hash.js';
import { auditActor, SYSTEM_ACTOR } from '../audit/entry.js';
import type { Principal, Role } from '../model/principal.js';
import type { KeyRepository } from '../ports/index.js';

/** API keys: shown once, stored as SHA-256 (keys are 256-bit random, so a fast hash is enough). */
export class KeyService {
  private readonly adminHash?: Buffer;

  constructor(
    private readonly keys: KeyRepository,
    adminApiKey?: string,
  ) {
    if (adminApiKey) this.adminHash = Buffer.from(sha256Hex(adminApiKey), 'hex');
  }

  async create(input: { role: Role; department?: string; name: string }, by?: Principal) {
    const id = `key_${randomBytes(8).toString('hex')}`;
    const key = `lt_${randomBytes(32).toString('base64url')}`;
    const record = { id, role: input.role, departmentId: input.department ?? null, name: input.name };
    await this.keys.insert(record, sha256Hex(key), by ? auditActor(by) : SYSTEM_ACTOR);
    return { id, key, role: input.role, department: input.department ?? null, name: input.name };
  }

  async revoke(id: string, by?: Principal): Promise<void> {
    if (!(await this.keys.revoke(id, by ? auditActor(by) : SYSTEM_ACTOR))) throw notFound(`API key ${id}`);
  }

  /**
   * The principal of a key known by its id, or undefined once it is revoked.
   * ADMIN_API_KEY has no stored id: it is named `env:admin:<fingerprint>`
   * (see `idOf`), which stops matching when the setting changes.
   */
  async byId(keyId: string): Promise<Principal | undefined> {
    if (keyId.startsWith('env:admin:')) {
      return this.adminHash && keyId === this.adminId() ? { role: 'admin', name: 'ADMIN_API_KEY', keyId } : undefined;
    }
    const record = await this.keys.byId(keyId);
    if (!record) return undefined;
    return { role: record.role as Role, name: record.name, keyId: record.id, ...(record.departmentId ? { departmentId: record.departmentId } : {}) };
  }

  /** The id a principal's key is known by (`byId`), also for ADMIN_API_KEY. */
  idOf(p: Principal): string | undefined {
    if (p.keyId) return p.keyId;
    return p.role === 'admin' && p.name === 'ADMIN_API_KEY' ? this.adminId() : undefined;
  }

  private adminId(): string | undefined {
    return this.adminHash ? `env:admin:${sha256Hex(this.adminHash.toString('hex')).slice(0, 16)}` : undefined;
  }

  /** The principal behind a bearer key, or undefined when the key is unknown or revoked. */
  async authenticate(key: string): Promise<Principal | undefined> {
    const hash = sha256Hex(key);
    if (this.adminHash && timingSafeEqual(this.adminHash, Buffer.from(hash, 'hex'))) return { role: 'admin', name: 'ADMIN_API_KEY' };
    const record = await this.keys.byHash(hash);
    if (!record) return undefined;
    return {
      role: record.role as Role,
      name: record.name,
      keyId: record.id,
      ...(record.departmentId ? { departmentId: record.departmentId } : {}),
    };
  }
}
