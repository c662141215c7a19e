import type { Mapper } from '../mapper.js';
import type { CoreContext } from './context.js';
import { DeliveryService } from './delivery.js';
import { DepartmentService } from './departments.js';
import { DocumentService } from './documents.js';
import { DossierService } from './dossiers.js';
import { EventService } from './events.js';
import { KeyService } from './keys.js';
import { PollService } from './poll.js';
import { ResultService } from './results.js';
import { PreviewService } from './preview.js';
import { AlertService } from '../follow-up/alerts.js';
import { calendarNextWorkingDay } from '../follow-up/calendar-days.js';
import { checkFailures } from '../follow-up/department-down.js';
import { ReportService } from '../follow-up/report.js';
import { WebhookDispatcher } from '../follow-up/webhook-dispatch.js';
import { ProcedureService } from './procedures.js';
import { CalendarService } from './calendar.js';

/** The use-cases, built on one context; what the gateway, the workers and the CLI call. */
export interface Services {
  dossiers: DossierService;
  documents: DocumentService;
  events: EventService;
  departments: DepartmentService;
  keys: KeyService;
  delivery: DeliveryService;
  poll: PollService;
  results: ResultService;
  preview: PreviewService;
  procedures: ProcedureService;
  calendar: CalendarService;
  mapper: Mapper;
  /** Alerts (cảnh báo): evaluation and listing. */
  alerts: AlertService;
  /** Sends the alert webhook outbox; absent when ALERT_WEBHOOK_URL is not set. */
  alertWebhooks?: WebhookDispatcher;
  /** The progress report. */
  reports: ReportService;
  /** Readiness of what a request needs: the database and Redis. */
  ready(): Promise<{ database: boolean; redis: boolean }>;
}

export function createServices(ctx: CoreContext, ready: Services['ready']): Services {
  const documents = new DocumentService(ctx);
  const results = new ResultService(ctx);
  const events = new EventService(ctx, results);
  const departments = new DepartmentService(ctx);
  const { followUp, settings } = ctx;
  // department_down: from each department's check until the circuit breaker replaces this one line.
  const departmentDown = checkFailures({
    enabledIds: async () => (await ctx.departments.list()).filter((d) => d.enabled).map((d) => d.id),
    check: (id) => departments.check(id),
  });
  // due_soon: the next working day of the working calendar as it is now (yearly overrides included).
  const alerts = new AlertService(followUp.alerts, departmentDown, calendarNextWorkingDay(() => ctx.deadlines.calendar()), {
    everyMs: settings.alertEveryMs,
    stuckAfterMs: settings.stuckAfterMs,
    webhook: Boolean(settings.alertWebhook && followUp.webhookSender),
  }, ctx.logger);
  const alertWebhooks =
    settings.alertWebhook && followUp.webhookSender
      ? new WebhookDispatcher(followUp.webhooks, followUp.webhookSender, { ...settings.alertWebhook, maxBackoffMs: 10 * 60_000 }, ctx.logger)
      : undefined;
  return {
    alerts,
    ...(alertWebhooks ? { alertWebhooks } : {}),
    reports: new ReportService(followUp.reports),
    dossiers: new DossierService(ctx),
    documents,
    events,
    departments,
    preview: new PreviewService(ctx, departments),
    keys: new KeyService(ctx.keys, ctx.settings.adminApiKey),
    delivery: new DeliveryService(ctx, documents),
    poll: new PollService(ctx, events),
    results,
    procedures: new ProcedureService(ctx),
    calendar: new CalendarService(ctx),
    mapper: ctx.mapper,
    ready,
  };
}
