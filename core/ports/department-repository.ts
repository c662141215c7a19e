import type { Department, DepartmentConfig } from '../model/department.js';
import type { Transaction } from './transaction.js';
import type { AuditActor } from '../audit/entry.js';

/** One kept version of a department's config. */
export interface DepartmentVersion {
  version: number;
  changedAt: string;
  changedBy: string;
  config: DepartmentConfig;
}

/**
 * Departments (cơ quan chuyên môn), their kept config versions and the
 * procedure routes. Implemented by store/department-store.ts.
 * Rejects with the driver's error when the database cannot be reached.
 */
export interface DepartmentRepository {
  /** The department, or undefined. */
  get(id: string, tx?: Transaction): Promise<Department | undefined>;
  /** Every department, by id. */
  list(): Promise<Department[]>;
  /** The config a delivery queued under `version` must use; undefined when that version is not kept. */
  /** Kept in memory once read: a saved version never changes. */
  version(id: string, version: number): Promise<DepartmentConfig | undefined>;
  /** Every kept version, newest first, with its config. */
  versions(id: string): Promise<DepartmentVersion[]>;
  /** Procedures among `codes` already routed to another department than `id`. */
  routedElsewhere(id: string, codes: string[]): Promise<Array<{ procedure: string; department: string }>>;
  /**
   * Save a new version of a department (creating it at version 1) and
   * replace its procedure routes, in one transaction. Resolves with the
   * stored department and whether it was created.
   */
  save(
    id: string,
    config: DepartmentConfig,
    changedBy: string,
    /** Its audit entry (default: `department.saved` by the system), written in the same transaction. */
    audit?: { actor: AuditActor; action?: string; detail?: Record<string, unknown> },
  ): Promise<{ department: Department; created: boolean }>;
  /** Disable a department (a new version): routing refuses it, its dossiers stay readable. False when unknown. */
  disable(id: string, changedBy: string, actor?: AuditActor): Promise<boolean>;
  /**
   * The department that decides `procedureCode` (exact code first, then its
   * national base code). May come from a short-lived cache (≤ 1 s, forgotten
   * when this process saves a department): a guess that the accept checks.
   */
  route(procedureCode: string, baseCode: string): Promise<Department | undefined>;
  /** `route` read from the store now, never from a cache. */
  routeNow(procedureCode: string, baseCode: string): Promise<Department | undefined>;
}
