import { failureKind } from '../errors.js';
import type { Logger } from '../logger.js';
import type { WebhookCall, WebhookOutbox, WebhookSender } from './ports.js';
import { SIGNATURE_HEADER, signBody } from './signature.js';

export interface WebhookSettings {
  /** ALERT_WEBHOOK_SECRET: the HMAC key. */
  secret: string;
  /** ALERT_WEBHOOK_BACKOFF_MS: first retry delay, doubled each attempt up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
  /** ALERT_WEBHOOK_ATTEMPTS: transient failures before a call is given up (state failed). */
  attempts: number;
  /** ALERT_WEBHOOK_TIMEOUT_MS: one attempt's time limit; the claim lease is longer. */
  timeoutMs: number;
  batch?: number;
}

/**
 * Sends the alert webhook outbox: each call POSTed with its signature, in
 * order per alert, retried with exponential backoff on transient failures,
 * never again once the receiver answered 2xx. Safe in many processes: calls
 * are claimed with a lease (`for update skip locked`).
 */
export class WebhookDispatcher {
  constructor(
    private readonly outbox: WebhookOutbox,
    private readonly sender: WebhookSender,
    private readonly settings: WebhookSettings,
    private readonly logger: Logger,
  ) {}

  /** One pass: every due call claimed and attempted; returns how many were sent. */
  async dispatch(): Promise<number> {
    let sent = 0;
    for (let round = 0; round < 20; round++) {
      const calls = await this.outbox.claim(this.settings.batch ?? 20, this.settings.timeoutMs + 10_000);
      if (calls.length === 0) break;
      const results = await Promise.all(calls.map((c) => this.attempt(c)));
      sent += results.filter(Boolean).length;
    }
    return sent;
  }

  private async attempt(call: WebhookCall): Promise<boolean> {
    const headers = {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: signBody(call.body, this.settings.secret),
      'X-Lienthong-Delivery': call.id,
      'X-Lienthong-Event': `alert.${call.event}`,
    };
    try {
      await this.sender.post(call.body, headers);
      await this.outbox.sent(call.id);
      return true;
    } catch (err) {
      const message = (err as Error).message;
      if (failureKind(err) === 'permanent' || call.attempts >= this.settings.attempts) {
        this.logger.warn({ call: call.id, alert: call.alertId, attempts: call.attempts, err: message }, 'alert webhook given up');
        await this.outbox.failed(call.id, message);
      } else {
        const delay = Math.min(this.settings.backoffMs * 2 ** (call.attempts - 1), this.settings.maxBackoffMs);
        this.logger.debug({ call: call.id, attempts: call.attempts, delay, err: message }, 'alert webhook will be retried');
        await this.outbox.retry(call.id, delay, message);
      }
      return false;
    }
  }
}
