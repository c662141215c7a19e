import type { Logger } from '../core/logger.js';
import type { AlertService } from '../core/follow-up/alerts.js';
import type { WebhookDispatcher } from '../core/follow-up/webhook-dispatch.js';
import { Periodic } from './periodic.js';

/**
 * The alert schedules of a worker process: every `everyMs` it asks for the
 * cluster's evaluation round (the store lets one process per round win), and
 * every `pollMs` it sends the webhook outbox (calls leased, so many processes
 * share it without sending one twice).
 */
export class AlertScheduler {
  private readonly evaluation: Periodic<unknown>;
  private readonly dispatch: Periodic<number>;

  constructor(
    private readonly alerts: AlertService,
    private readonly webhooks: WebhookDispatcher | undefined,
    logger: Logger,
    private readonly options: { everyMs: number; pollMs: number },
  ) {
    this.evaluation = new Periodic('alert evaluation', logger, undefined);
    this.dispatch = new Periodic('alert webhook', logger, 0);
  }

  start(): void {
    this.evaluation.every(this.options.everyMs, async () => {
      const changed = await this.alerts.tick();
      if (changed && changed.opened + changed.resolved > 0) void this.sendNow();
      return changed;
    });
    if (this.webhooks) this.dispatch.every(this.options.pollMs, () => this.webhooks!.dispatch());
  }

  /** Send what is due now (after an evaluation changed something). */
  sendNow(): Promise<number> {
    const webhooks = this.webhooks;
    return webhooks ? this.dispatch.run(() => webhooks.dispatch()) : Promise.resolve(0);
  }

  async stop(): Promise<void> {
    await this.evaluation.stop();
    await this.dispatch.stop();
  }
}
