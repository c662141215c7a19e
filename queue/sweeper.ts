import type { Logger } from '../core/logger.js';
import type { DeliveryRepository, StaleCursor } from '../core/ports/index.js';
import type { BullDeliveryQueue } from './delivery-queue.js';
import { Periodic } from './periodic.js';

/**
 * The outbox sweeper: open deliveries not touched for a while are queued
 * again if their job is not in Redis. A delivery already waiting, delayed or
 * running is left alone; one lost (Redis down at accept time, Redis wiped) is
 * queued (keyed by delivery id, so two sweepers queue it once). Safe in any
 * number of processes.
 * Departments `held` (circuit open, or paused) are passed over: their
 * deliveries wait in their queue on purpose, and a wiped Redis forgets the
 * open circuit too, so nothing of theirs stays lost once they are not held.
 */
export class Sweeper {
  private readonly periodic: Periodic<number>;

  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly queue: BullDeliveryQueue,
    private readonly logger: Logger,
    private readonly options: { everyMs: number; staleMs: number; batch?: number; maxBatches?: number; held?: () => Promise<string[]> },
  ) {
    this.periodic = new Periodic('sweep', logger, 0);
  }

  /** Sweep everything open now (at start), then every `everyMs` what is stale. */
  start(): void {
    void this.sweep(0);
    this.periodic.every(this.options.everyMs, () => this.run(this.options.staleMs));
  }

  /** One sweep of the open deliveries older than `olderThanMs`: resolves with how many were queued. */
  sweep(olderThanMs: number): Promise<number> {
    return this.periodic.run(() => this.run(olderThanMs));
  }

  /**
   * Page after page (oldest first) until every open delivery older than the
   * cutoff was looked at (a wiped Redis with a large backlog is rebuilt in
   * one sweep), bounded by `maxBatches` pages per run.
   */
  private async run(olderThanMs: number): Promise<number> {
    const before = await this.deliveries.cutoff(olderThanMs);
    // Which departments are held cannot be read (Redis down): sweep them all, queueing is idempotent.
    const held = this.options.held ? await this.options.held().catch(() => []) : [];
    let queued = 0;
    let looked = 0;
    let after: StaleCursor | undefined;
    for (let i = 0; i < (this.options.maxBatches ?? 100); i++) {
      const stale = await this.deliveries.stale(before, this.options.batch ?? 500, held, after);
      if (stale.length === 0) break;
      const requeued = await this.queue.requeueMissing(stale);
      // Only the re-queued rows are written: a long queue whose jobs are all in Redis is read each sweep, never rewritten.
      await this.deliveries.touch(requeued.map((d) => d.id));
      queued += requeued.length;
      looked += stale.length;
      after = stale.at(-1);
    }
    if (queued) this.logger.info({ count: queued, lookedAt: looked }, 'sweeper queued open deliveries that were not in their queue');
    return queued;
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }
}
