import type { Logger } from '../core/logger.js';
import type { DeliveryStore } from '../store/delivery-store.js';
import type { BullDeliveryQueue } from './delivery-queue.js';

/**
 * The outbox sweeper: open deliveries not touched for a while are queued
 * again. Queueing is keyed by delivery id, so a delivery already waiting,
 * delayed or running is left alone; one lost (Redis down at accept time,
 * process killed, Redis wiped) is queued. Safe in any number of processes.
 */
export class Sweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly deliveries: DeliveryStore,
    private readonly queue: BullDeliveryQueue,
    private readonly logger: Logger,
    private readonly options: { everyMs: number; staleMs: number; batch?: number },
  ) {}

  /** Sweep everything open now (at start), then every `everyMs` what is stale. */
  start(): void {
    void this.sweep(0);
    this.timer = setInterval(() => void this.sweep(this.options.staleMs), this.options.everyMs);
  }

  sweep(olderThanMs: number): Promise<number> {
    this.running ??= this.run(olderThanMs)
      .catch((err) => {
        this.logger.warn({ err: (err as Error).message }, 'sweep failed; will try again');
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(olderThanMs: number): Promise<number> {
    const stale = await this.deliveries.stale(olderThanMs, this.options.batch ?? 500);
    if (stale.length === 0) return 0;
    await this.queue.enqueueMany(stale);
    await this.deliveries.touch(stale.map((d) => d.id));
    this.logger.info({ count: stale.length }, 'sweeper queued open deliveries');
    return stale.length;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
