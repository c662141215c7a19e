import { randomBytes } from 'node:crypto';
import type { Logger } from '../core/logger.js';
import type { PortalClaim, PortalRepository } from '../core/ports/index.js';
import type { PortalSync } from '../core/use-cases/portal-sync.js';

export interface PortalWorkerOptions {
  /** Dossiers pushed at once by this process (PORTAL_CONCURRENCY). */
  concurrency: number;
  /** How often to look for due dossiers when nothing woke us (PORTAL_POLL_MS). */
  pollMs: number;
  /** How long in-flight pushes may finish on stop. */
  shutdownTimeoutMs: number;
}

/**
 * The portal pusher of one worker process. It claims due dossiers from the
 * portal outbox (`portal_sync`, `for update skip locked` plus a lease), up to
 * `concurrency` at a time, and pushes each with PortalSync. Per-dossier order
 * comes from the claim (one pusher per dossier), parallelism from claiming
 * different dossiers; any number of processes may run one.
 *
 * When the portal fails transiently the whole process pauses (exponential
 * backoff, capped at PORTAL_BACKOFF_MAX_MS) instead of hammering it with every
 * pending dossier; the first success after an outage resumes full speed, and
 * the backlog drains by itself.
 */
export class PortalWorker {
  private readonly token = `portal-${process.pid}-${randomBytes(4).toString('hex')}`;
  private readonly inFlight = new Set<Promise<void>>();
  private running?: Promise<void>;
  private stopped = false;
  private failures = 0;
  private pausedUntil = 0;
  private wakeUp?: () => void;
  /** A wake-up that came while not sleeping: the next sleep returns at once. */
  private woken = false;
  private unsubscribe?: () => void;

  constructor(
    private readonly sync: PortalSync,
    private readonly store: PortalRepository,
    private readonly logger: Logger,
    private readonly options: PortalWorkerOptions,
  ) {}

  start(): void {
    // A change recorded in this process: look shortly after its transaction commits.
    this.unsubscribe = this.store.onRecorded(() => setTimeout(() => this.wake(), 5).unref());
    this.running ??= this.loop();
  }

  /** Look for due dossiers now rather than at the next poll. */
  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.woken = true;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const pause = this.pausedUntil - Date.now();
      if (pause > 0) {
        await this.sleep(pause);
        continue;
      }
      const free = this.options.concurrency - this.inFlight.size;
      let claimed: PortalClaim[] = [];
      if (free > 0) {
        claimed = await this.store.claim(this.token, free, this.sync.options.leaseMs).catch((err) => {
          this.logger.warn({ err: (err as Error).message }, 'portal claim failed; will look again');
          return [];
        });
      }
      for (const claim of claimed) this.run(claim);
      // Slots left and nothing more due: wait for a poll, a wake-up or a finished push.
      if (free === 0 || claimed.length < free) await this.sleep(this.options.pollMs);
    }
  }

  private run(claim: PortalClaim): void {
    const task = this.sync
      .push(claim, this.token)
      .then((result) => {
        if (result.outcome === 'retry') {
          this.failures++;
          this.pausedUntil = Math.max(this.pausedUntil, Date.now() + this.sync.retryDelay(this.failures));
        } else if (result.outcome === 'synced' || result.outcome === 'rejected') {
          if (this.failures > 0) this.logger.info({ after: this.failures }, 'portal answers again: catching up');
          this.failures = 0;
          this.pausedUntil = 0;
        }
      })
      .catch((err) => this.logger.warn({ dossierCode: claim.code, err: (err as Error).message }, 'portal push crashed; the lease runs out and it is retried'))
      .finally(() => {
        this.inFlight.delete(task);
        this.wake();
      });
    this.inFlight.add(task);
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        done();
      };
    });
  }

  /** Stop claiming; in-flight pushes finish (up to `shutdownTimeoutMs`; after that their leases run out). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.wake();
    await this.running;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...this.inFlight]),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.shutdownTimeoutMs))),
    ]);
    clearTimeout(timer);
  }
}
