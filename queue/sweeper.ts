import type { Logger } from '../core/logger.js';
import type { DeliveryStore } from '../store/delivery-store.js';
import type { BullDeliveryQueue } from './delivery-queue.js';
import { Periodic } from './periodic.js';

/**
 * The outbox sweeper: open deliveries not touched for a while are queued
 * again. Queueing is keyed by delivery id, so a delivery already waiting,
 * delayed or running is left alone; one lost (Redis down at accept time,
 * process killed, Redis wiped) is queued. Safe in any number of processes.
 */
export class Sweeper {
  private readonly periodic: Periodic<number>;

  constructor(
    private readonly deliveries: DeliveryStore,
    private readonly queue: BullDeliveryQueue,
    private readonly logger: Logger,
    private readonly options: { everyMs: number; staleMs: number; batch?: number },
  ) {
    this.periodic = new Periodic('sweep', logger, 0);
  }

  /** Sweep everything open now (at start), then every `everyMs` what is stale. */
  start(): void {
    void this.sweep(0);
    this.periodic.every(this.options.everyMs, () => this.run(this.options.staleMs));
  }

  sweep(olderThanMs: number): Promise<number> {
    return this.periodic.run(() => this.run(olderThanMs));
  }

  private async run(olderThanMs: number): Promise<number> {
    const stale = await this.deliveries.stale(olderThanMs, this.options.batch ?? 500);
    if (stale.length === 0) return 0;
    await this.queue.enqueueMany(stale);
    await this.deliveries.touch(stale.map((d) => d.id));
    this.logger.info({ count: stale.length }, 'sweeper queued open deliveries');
    return stale.length;
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }
}
