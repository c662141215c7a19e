import type { Adapter } from '../adapter.js';
import type { Department, DepartmentConfig } from '../model/department.js';

/**
 * Adapters per department config version, created on first use and reused
 * (adapters/provider.ts). `get` throws a `ProblemError` when the config names
 * a transport nobody implements; it never opens a connection itself.
 */
export interface AdapterProvider {
  get(department: Pick<Department, 'id' | 'version'>, config: DepartmentConfig): Adapter;
}
