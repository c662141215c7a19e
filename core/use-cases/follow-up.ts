import { AlertService } from '../follow-up/alerts.js';
import { calendarNextWorkingDay } from '../follow-up/calendar-days.js';
import { checkFailures } from '../follow-up/department-down.js';
import { ReportService } from '../follow-up/report.js';
import { WebhookDispatcher } from '../follow-up/webhook-dispatch.js';
import type { CorePorts } from './context.js';
import type { DepartmentService } from './departments.js';

/** The ports follow-up uses. */
export type FollowUpServicePorts = Pick<CorePorts, 'clock' | 'deadlines' | 'departments' | 'followUp' | 'logger' | 'settings'>;

/**
 * The follow-up use-cases (alerts, their webhook, the progress report).
 * `department_down` comes from each enabled department's check: the one line
 * to replace when the circuit breaker exists. `due_soon` uses the working
 * calendar as it is now (yearly overrides included).
 */
export function followUpServices(p: FollowUpServicePorts, departments: DepartmentService) {
  const { followUp, settings } = p;
  const departmentDown = checkFailures({
    enabledIds: async () => (await p.departments.list()).filter((d) => d.enabled).map((d) => d.id),
    check: (id) => departments.check(id),
  });
  const webhook = settings.alertWebhook && followUp.webhookSender ? { ...settings.alertWebhook, sender: followUp.webhookSender } : undefined;
  const alerts = new AlertService(
    followUp.alerts,
    departmentDown,
    calendarNextWorkingDay(() => p.deadlines.calendar()),
    { everyMs: settings.alertEveryMs, stuckAfterMs: settings.stuckAfterMs, webhook: Boolean(webhook) },
    p.logger,
    () => new Date(p.clock.now()),
  );
  const alertWebhooks = webhook
    ? new WebhookDispatcher(followUp.webhooks, webhook.sender, { ...webhook, maxBackoffMs: 10 * 60_000 }, p.logger)
    : undefined;
  return { alerts, reports: new ReportService(followUp.reports, () => new Date(p.clock.now())), ...(alertWebhooks ? { alertWebhooks } : {}) };
}
