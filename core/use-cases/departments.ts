import type { CheckResult } from '../adapter.js';
import { auditActor } from '../audit/entry.js';
import { changedPaths } from '../diff.js';
import { conflict, forbidden, invalid, notFound, zodIssues, type FieldIssue } from '../errors.js';
import { departmentConfigSchema, type Department, type DepartmentConfig } from '../model/department.js';
import { actorOf, type Principal } from '../model/principal.js';
import { keepMaskedSecrets, maskSecrets } from '../secrets.js';
import type { CorePorts } from './context.js';

/** The ports DepartmentService uses. */
export type DepartmentPorts = Pick<CorePorts, 'adapterFactory' | 'adapters' | 'departments' | 'logger' | 'mapper'>;

/** Sở, ban, ngành registration: validated, versioned, secrets masked on the way out. */
export class DepartmentService {
  constructor(private readonly ctx: DepartmentPorts) {}

  private secretPaths(config: { transport?: { type?: string } }): readonly string[] {
    return this.ctx.adapterFactory(config.transport?.type ?? '')?.secretPaths ?? [];
  }

  /** The stored document as answered by the API: secrets masked. */
  view(d: Department) {
    return { id: d.id, version: d.version, ...maskSecrets(d.config, this.secretPaths(d.config)), enabled: d.enabled, updatedAt: d.updatedAt };
  }

  /**
   * Validate a department document fully: base schema, its transport's own
   * schema, every mapping expression compiled. Throws 422 naming each bad field.
   */
  validate(body: unknown): DepartmentConfig {
    const base = departmentConfigSchema.safeParse(body);
    if (!base.success) throw invalid('invalid department', zodIssues(base.error.issues));
    const config = base.data;
    const factory = this.ctx.adapterFactory(config.transport.type);
    if (!factory) {
      throw invalid('unsupported transport', [{ path: 'transport.type', message: `unknown transport "${config.transport.type}"` }]);
    }
    const own = factory.configSchema.safeParse({ transport: config.transport, operations: config.operations });
    const issues: FieldIssue[] = own.success ? [] : zodIssues(own.error.issues);
    issues.push(...this.ctx.mapper.check(config));
    if (issues.length) throw invalid('invalid department', issues);
    const parsed = own.data as Pick<DepartmentConfig, 'transport' | 'operations'>;
    return { ...config, transport: parsed.transport, operations: parsed.operations };
  }

  /**
   * Create or replace a department. An identical document is not a change:
   * no new version. With `dryRun`, everything is checked and nothing saved.
   * `changes` lists the dotted paths that differ from the current version.
   */
  async put(id: string, body: unknown, by: Principal, options: { dryRun?: boolean } = {}) {
    const previous = await this.ctx.departments.get(id);
    const config = this.validate(keepMaskedSecrets(structuredClone(body), previous?.config, this.secretPaths(body as DepartmentConfig)));
    if (by.role === 'department') this.selfServiceAllowed(id, previous, config);
    const taken = await this.ctx.departments.routedElsewhere(id, config.procedures);
    if (taken.length) {
      throw conflict(`procedures already routed to another department: ${taken.map((t) => `${t.procedure} → ${t.department}`).join(', ')}`);
    }
    const changes = previous ? changedPaths(previous.config, config) : ['(new)'];
    const created = !previous;
    if (options.dryRun || (previous && changes.length === 0)) {
      const department = previous ?? { id, version: 0, config, enabled: config.enabled, updatedAt: new Date().toISOString() };
      return { created, changes, department: this.view(options.dryRun && previous ? { ...previous, config } : department) };
    }
    const saved = await this.ctx.departments.save(id, config, actorOf(by), { actor: auditActor(by), detail: { changes: changes.slice(0, 50) } });
    this.ctx.logger.info({ department: id, version: saved.department.version, by: actorOf(by), changes }, created ? 'department registered' : 'department updated');
    return { created, changes, department: this.view(saved.department) };
  }

  /**
   * A department's own key may change its configuration, but not which
   * procedures route to it nor whether it is enabled: those stay with an
   * administrator (403). It cannot create its department (404).
   */
  private selfServiceAllowed(id: string, previous: Department | undefined, next: DepartmentConfig) {
    if (!previous) throw notFound(`department ${id}`);
    const same = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
    if (!same(previous.config.procedures, next.procedures) || previous.config.enabled !== next.enabled) {
      throw forbidden('a department key may not change "procedures" or "enabled": ask an administrator');
    }
  }

  /** Version history, newest first: who changed what, and when. */
  async versions(id: string) {
    await this.get(id);
    const all = await this.ctx.departments.versions(id);
    return all.map((v, i) => ({
      version: v.version,
      changedAt: v.changedAt,
      changedBy: v.changedBy,
      changes: changedPaths(all[i + 1]?.config ?? {}, v.config),
    }));
  }

  async version(id: string, n: number) {
    const v = (await this.ctx.departments.versions(id)).find((x) => x.version === n);
    if (!v) throw notFound(`version ${n} of department ${id}`);
    return { version: v.version, changedAt: v.changedAt, changedBy: v.changedBy, ...maskSecrets(v.config, this.secretPaths(v.config)) };
  }

  /** Save version `n` again as a new version (a department key keeps the current procedures and enabled flag). */
  async restore(id: string, n: number, by: Principal) {
    const current = await this.get(id);
    const old = (await this.ctx.departments.versions(id)).find((x) => x.version === n);
    if (!old) throw notFound(`version ${n} of department ${id}`);
    const config = this.validate(old.config);
    if (by.role === 'department') Object.assign(config, { procedures: current.config.procedures, enabled: current.config.enabled });
    const taken = await this.ctx.departments.routedElsewhere(id, config.procedures);
    if (taken.length) throw conflict(`version ${n} routes procedures now taken by other departments: ${taken.map((t) => t.procedure).join(', ')}`);
    const { department } = await this.ctx.departments.save(id, config, `${actorOf(by)} (restored version ${n})`, {
      actor: auditActor(by),
      action: 'department.restored',
      detail: { restoredVersion: n },
    });
    this.ctx.logger.info({ department: id, version: department.version, restored: n, by: actorOf(by) }, 'department version restored');
    return this.view(department);
  }

  async get(id: string) {
    const d = await this.ctx.departments.get(id);
    if (!d) throw notFound(`department ${id}`);
    return d;
  }

  async list() {
    return (await this.ctx.departments.list()).map((d) => this.view(d));
  }

  async disable(id: string, by: Principal): Promise<void> {
    if (!(await this.ctx.departments.disable(id, actorOf(by), auditActor(by)))) throw notFound(`department ${id}`);
  }

  async check(id: string): Promise<CheckResult> {
    const d = await this.get(id);
    return this.ctx.adapters.get(d, d.config).check();
  }
}
