import { changedBy } from '../audit/entry.js';
import { notFound } from '../errors.js';
import { actorOf, type Principal } from '../model/principal.js';
import type { CircuitView, WaitingReason } from '../ports/index.js';
import type { CorePorts } from './context.js';

/** The ports DepartmentHealthService uses. */
export type HealthPorts = Pick<CorePorts, 'breaker' | 'departments' | 'logger' | 'pauses'>;

const CLOSED: CircuitView = { circuit: 'closed', since: null, consecutiveFailures: 0, lastError: null, lastSuccessAt: null, paused: false };

/**
 * A department's health (sức khỏe kết nối): its circuit (Redis, shared by
 * every worker) and whether an operator paused it (the store). Pause and
 * resume are audited and survive restarts.
 */
export class DepartmentHealthService {
  constructor(private readonly ports: HealthPorts) {}

  private get departments() {
    return this.ports.departments;
  }
  private get store() {
    return this.ports.pauses;
  }
  private get breaker() {
    return this.ports.breaker;
  }
  private get logger() {
    return this.ports.logger;
  }

  /** `health` of GET /v1/departments/{id}. The circuit reads as closed when Redis cannot be reached. */
  async health(id: string): Promise<CircuitView> {
    const [paused, live] = await Promise.all([this.store.isPaused(id), this.live(id)]);
    return { ...live, paused };
  }

  private async live(id: string): Promise<CircuitView> {
    try {
      return await withTimeout(this.breaker.view(id), 1000);
    } catch (err) {
      this.logger.warn({ department: id, err: (err as Error).message }, 'circuit state unreadable (Redis): shown as closed');
      return CLOSED;
    }
  }

  /** Why a pending delivery of this department waits, if it does. */
  async waiting(id: string): Promise<WaitingReason | undefined> {
    const h = await this.health(id);
    if (h.paused) return 'paused';
    if (h.circuit === 'open' || h.circuit === 'half_open') return 'department_down';
    return undefined;
  }

  async pause(id: string, by: Principal): Promise<CircuitView> {
    return this.setPaused(id, true, by);
  }

  async resume(id: string, by: Principal): Promise<CircuitView> {
    return this.setPaused(id, false, by);
  }

  private async setPaused(id: string, paused: boolean, by: Principal): Promise<CircuitView> {
    if (!(await this.departments.get(id))) throw notFound(`department ${id}`);
    await this.store.setPaused(id, paused, changedBy(by));
    // Redis down: the workers' refresh mirrors the stored flag once it is back.
    await this.breaker.setPaused(id, paused).catch((err: Error) => this.logger.warn({ department: id, err: err.message }, 'pause flag not mirrored to Redis yet'));
    this.logger.info({ department: id, paused, by: actorOf(by) }, paused ? 'department paused' : 'department resumed');
    return this.health(id);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}
