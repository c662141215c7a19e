import type { Logger } from '../logger.js';
import type { Principal } from '../model/principal.js';
import { ALERT_KINDS, type Alert, type AlertCondition, type AlertFilter } from './alert.js';
import type { DepartmentDownSource } from './department-down.js';
import type { AlertRepository, WebhookEvent } from './ports.js';
import { addDays, vnDate, vnMidnight } from './report-period.js';
import type { NextWorkingDay } from './weekdays.js';

export interface AlertSettings {
  /** STUCK_AFTER_MS: a delivery accepted this long ago and not delivered is stuck. */
  stuckAfterMs: number;
  /** ALERT_EVERY_MS: how often the cluster evaluates. */
  everyMs: number;
  /** Whether ALERT_WEBHOOK_URL is set: opened and resolved alerts are queued for it. */
  webhook: boolean;
}

/** What the webhook receives: the change and the alert as `GET /v1/alerts` shows it. */
export interface AlertWebhookBody {
  event: `alert.${WebhookEvent}`;
  alert: Alert;
}

/**
 * The alerts use-case (cảnh báo): evaluate every condition and open, keep
 * or resolve one alert per condition; list them. Safe with many processes:
 * one evaluation at a time holds the store's evaluation lock, and the store
 * keeps at most one open alert per condition.
 */
export class AlertService {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly departmentDown: DepartmentDownSource,
    private readonly nextWorkingDay: NextWorkingDay,
    private readonly settings: AlertSettings,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The scheduler's tick: evaluate when this process wins the round. */
  async tick(): Promise<{ opened: number; resolved: number } | undefined> {
    if (!(await this.alerts.claimRound(this.settings.everyMs))) return undefined;
    return this.evaluate();
  }

  /** Evaluate now (tests and the scheduler). */
  async evaluate(): Promise<{ opened: number; resolved: number }> {
    const now = this.clock();
    const today = vnDate(now);
    const bounds = {
      overdueBefore: new Date(vnMidnight(today)).toISOString(),
      dueSoonBefore: new Date(vnMidnight(addDays(await this.nextWorkingDay(today), 1))).toISOString(),
      stuckBefore: new Date(now.getTime() - this.settings.stuckAfterMs).toISOString(),
    };
    // Network checks happen before the transaction; if they fail, or a newer
    // observation was applied meanwhile, department_down is left as it is.
    const observedAt = await this.alerts.now();
    let down: AlertCondition[] | undefined;
    try {
      down = await this.departmentDown();
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'department_down could not be evaluated');
    }
    const { opened, resolved } = await this.alerts.evaluate(async (evaluation) => {
      if (down && !(await evaluation.freshObservation(observedAt))) down = undefined;
      const kinds = ALERT_KINDS.filter((k) => k !== 'department_down' || down !== undefined);
      const conditions = dedupe([...(await evaluation.storeConditions(bounds)), ...(down ?? [])]);
      const changes = await evaluation.reconcile(conditions, kinds);
      if (this.settings.webhook) {
        await evaluation.queueWebhooks([
          ...changes.opened.map((alert) => call(alert, 'opened')),
          ...changes.resolved.map((alert) => call(alert, 'resolved')),
        ]);
      }
      return changes;
    });
    if (opened.length || resolved.length) this.logger.info({ opened: opened.length, resolved: resolved.length }, 'alerts changed');
    return { opened: opened.length, resolved: resolved.length };
  }

  /** `GET /v1/alerts`: a department key sees its own department's alerts only. */
  list(filter: AlertFilter, principal: Principal): Promise<Alert[]> {
    if (principal.role === 'department') {
      if (filter.department && filter.department !== principal.departmentId) return Promise.resolve([]);
      return this.alerts.list({ ...filter, department: principal.departmentId as string });
    }
    return this.alerts.list(filter);
  }

  openCounts(): Promise<Record<string, number>> {
    return this.alerts.openCounts();
  }
}

function call(alert: Alert, event: WebhookEvent) {
  const body: AlertWebhookBody = { event: `alert.${event}`, alert };
  return { alertId: alert.id, event, body: JSON.stringify(body) };
}

function dedupe(conditions: AlertCondition[]): AlertCondition[] {
  const seen = new Map<string, AlertCondition>();
  for (const c of conditions) seen.set(`${c.kind} ${c.subject}`, c);
  return [...seen.values()];
}
