import type { DepartmentConfig, Department } from '../core/model/department.js';
import { SYSTEM_ACTOR, type AuditActor } from '../core/audit/entry.js';
import { writeAudit } from './audit-store.js';
import type { DepartmentRepository, DepartmentVersion } from '../core/ports/index.js';
import type { Db, Queryable } from './db.js';

export type { DepartmentVersion };

interface DepartmentRow {
  id: string;
  version: number;
  config: DepartmentConfig;
  enabled: boolean;
  updated_at: string;
}

const toDepartment = (r: DepartmentRow): Department => ({
  id: r.id,
  version: r.version,
  config: r.config,
  enabled: r.enabled,
  updatedAt: r.updated_at,
});

/** Versions kept in memory at most (a version never changes, so they never go stale). */
const VERSION_CACHE_SIZE = 1000;
/** Longest a route (procedure → department) is reused without asking the database. */
export const ROUTE_CACHE_MAX_MS = 1000;

/**
 * Departments, their kept config versions and the procedure routes.
 *
 * Two caches spare the hot paths their reads: `version` (a saved version
 * never changes: kept until evicted) and `route` (kept `routeCacheMs` ≤ 1 s;
 * a `save` through this store forgets them at once, other processes within
 * the second). A cached route is only a guess: the accept statement checks,
 * as it writes, that the department still has that version and is enabled.
 */
export class DepartmentStore implements DepartmentRepository {
  private readonly versionCache = new Map<string, DepartmentConfig>();
  private readonly routeCache = new Map<string, { department: Department; until: number }>();

  constructor(
    private readonly db: Db,
    private readonly routeCacheMs: number = ROUTE_CACHE_MAX_MS,
  ) {}

  async get(id: string, q: Queryable = this.db): Promise<Department | undefined> {
    const [row] = await q.query<DepartmentRow>('select * from departments where id = $1', [id]);
    return row && toDepartment(row);
  }

  async list(): Promise<Department[]> {
    return (await this.db.query<DepartmentRow>('select * from departments order by id')).map(toDepartment);
  }

  /** The config a delivery queued under `version` must use. */
  async version(id: string, version: number): Promise<DepartmentConfig | undefined> {
    const key = `${version} ${id}`;
    const cached = this.versionCache.get(key);
    if (cached) return cached;
    const [row] = await this.db.query<{ config: DepartmentConfig }>(
      'select config from department_versions where department_id = $1 and version = $2',
      [id, version],
    );
    if (row) {
      if (this.versionCache.size >= VERSION_CACHE_SIZE) this.versionCache.delete(this.versionCache.keys().next().value!);
      this.versionCache.set(key, row.config);
    }
    return row?.config;
  }

  /** Every kept version, newest first, with its config. */
  async versions(id: string): Promise<DepartmentVersion[]> {
    return this.db.query<DepartmentVersion>(
      `select version, changed_at as "changedAt", changed_by as "changedBy", config
         from department_versions where department_id = $1 order by version desc`,
      [id],
    );
  }

  /** Procedures among `codes` already routed to another department than `id`. */
  async routedElsewhere(id: string, codes: string[]): Promise<Array<{ procedure: string; department: string }>> {
    if (codes.length === 0) return [];
    return this.db.query(
      `select procedure_code as procedure, department_id as department
         from procedure_routes where procedure_code = any($1::text[]) and department_id <> $2`,
      [codes, id],
    );
  }

  /**
   * Save a new version of a department (creating it at version 1) and replace
   * its procedure routes, in one transaction. Returns the stored department
   * and whether it was created.
   */
  async save(
    id: string,
    config: DepartmentConfig,
    changedBy: string,
    audit: { actor: AuditActor; action?: string; detail?: Record<string, unknown> } = { actor: SYSTEM_ACTOR },
  ): Promise<{ department: Department; created: boolean }> {
    return this.db.tx(async (q) => {
      const [row] = await q.query<DepartmentRow & { created: boolean }>(
        `insert into departments (id, version, config, enabled) values ($1, 1, $2, $3)
         on conflict (id) do update set version = departments.version + 1, config = excluded.config,
           enabled = excluded.enabled, updated_at = now()
         returning *, (xmax = 0) as created`,
        [id, JSON.stringify(config), config.enabled],
      );
      if (!row) throw new Error('department upsert returned nothing');
      await q.query(
        'insert into department_versions (department_id, version, config, changed_by) values ($1, $2, $3, $4)',
        [id, row.version, JSON.stringify(config), changedBy],
      );
      await q.query('delete from procedure_routes where department_id = $1', [id]);
      if (config.procedures.length > 0) {
        await q.query(
          `insert into procedure_routes (procedure_code, department_id)
           select distinct unnest($1::text[]), $2`,
          [config.procedures, id],
        );
      }
      this.routeCache.clear();
      await writeAudit(q, {
        actor: audit.actor,
        action: audit.action ?? 'department.saved',
        subject: `department:${id}`,
        detail: { version: row.version, created: row.created, enabled: config.enabled, transport: config.transport.type, ...audit.detail },
      });
      return { department: toDepartment(row), created: row.created };
    });
  }

  /** Disable a department: routing refuses it, its dossiers stay readable. */
  async disable(id: string, changedBy: string, actor: AuditActor = SYSTEM_ACTOR): Promise<boolean> {
    const current = await this.get(id);
    if (!current) return false;
    if (current.enabled) await this.save(id, { ...current.config, enabled: false }, changedBy, { actor, action: 'department.disabled' });
    return true;
  }

  /** The department that decides `procedureCode` (exact code first, then its national base code). */
  async route(procedureCode: string, baseCode: string): Promise<Department | undefined> {
    const key = `${procedureCode} ${baseCode}`;
    const now = performance.now();
    const hit = this.routeCache.get(key);
    if (hit && hit.until > now) return hit.department;
    const department = await this.routeNow(procedureCode, baseCode);
    if (department && this.routeCacheMs > 0) {
      if (this.routeCache.size >= VERSION_CACHE_SIZE) this.routeCache.delete(this.routeCache.keys().next().value!);
      this.routeCache.set(key, { department, until: now + this.routeCacheMs });
    } else this.routeCache.delete(key);
    return department;
  }

  /** `route` from the database, never from the cache. */
  async routeNow(procedureCode: string, baseCode: string): Promise<Department | undefined> {
    const [row] = await this.db.query<DepartmentRow>(
      `select d.* from procedure_routes r join departments d on d.id = r.department_id
        where r.procedure_code = any($1::text[])
        order by (r.procedure_code = $2) desc limit 1`,
      [[procedureCode, baseCode], procedureCode],
    );
    return row && toDepartment(row);
  }
}
