import type { Adapter, AdapterFactory } from '../core/adapter.js';
import { DeliveryError } from '../core/errors.js';
import type { Department, DepartmentConfig } from '../core/model/department.js';
import type { AdapterProvider } from '../core/ports/index.js';

/**
 * One adapter per department config version, created on first use. Older
 * versions stay usable for deliveries queued under them; the least recently
 * used beyond `max` are closed.
 */
export class CachingAdapterProvider implements AdapterProvider {
  private readonly cache = new Map<string, Adapter>();

  constructor(
    private readonly factory: (type: string) => AdapterFactory | undefined,
    private readonly max = 200,
  ) {}

  get(department: Pick<Department, 'id' | 'version'>, config: DepartmentConfig): Adapter {
    const key = `${department.id}@${department.version}`;
    let adapter = this.cache.get(key);
    if (adapter) {
      this.cache.delete(key); // re-insert: most recently used last
    } else {
      const factory = this.factory(config.transport.type);
      if (!factory) throw DeliveryError.permanent(`no adapter for transport "${config.transport.type}"`);
      adapter = factory.create(config);
    }
    this.cache.set(key, adapter);
    for (const [oldKey, old] of this.cache) {
      if (this.cache.size <= this.max) break;
      this.cache.delete(oldKey);
      void old.close();
    }
    return adapter;
  }

  async close(): Promise<void> {
    const all = [...this.cache.values()];
    this.cache.clear();
    await Promise.all(all.map((a) => a.close()));
  }
}
