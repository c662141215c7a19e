import type { Mapper } from '../mapper.js';
import type { ConsoleReadModel, ConsoleSessionRepository, SignInAttempts } from '../console/ports.js';
import type { ConsoleProviders } from '../console/providers.js';
import { consoleDeadlines } from './console-deadlines.js';
import { consoleFollowUp } from './console-follow-up.js';
import { consoleOperations, signInAudit } from './console-operations.js';
import { ConsoleQueries } from '../console/queries.js';
import { ConsoleSessionService, type ConsoleSessionSettings, type SignInAuditSink } from '../console/sessions.js';
import type { CorePorts } from './context.js';
import { AuditService } from './audit.js';
import { DepartmentHealthService } from './department-health.js';
import { DeliveryAdminService } from './deliveries.js';
import { DeliveryService } from './delivery.js';
import { DepartmentService } from './departments.js';
import { DocumentService } from './documents.js';
import { DossierService } from './dossiers.js';
import { EventService } from './events.js';
import { KeyService } from './keys.js';
import { PollService } from './poll.js';
import { ResultService } from './results.js';
import { PreviewService } from './preview.js';
import type { AlertService } from '../follow-up/alerts.js';
import type { ReportService } from '../follow-up/report.js';
import type { WebhookDispatcher } from '../follow-up/webhook-dispatch.js';
import { followUpServices } from './follow-up.js';
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
  /** The operator console (bảng điều khiển): its sessions, its reads, and the data other features provide. */
  console: { sessions: ConsoleSessionService; queries: ConsoleQueries; providers: ConsoleProviders };
  /** Alerts (cảnh báo): evaluation and listing. */
  alerts: AlertService;
  /** Sends the alert webhook outbox; absent when ALERT_WEBHOOK_URL is not set. */
  alertWebhooks?: WebhookDispatcher;
  /** The progress report. */
  reports: ReportService;
  audit: AuditService;
  health: DepartmentHealthService;
  deliveries: DeliveryAdminService;
  /** Readiness of what a request needs, naming each dependency and its state. */
  ready(): Promise<Readiness>;
  /** The database as last seen (no round trip): false while it cannot be reached, so writes answer 503 at once. */
  storeUp(): boolean;
}

/** One dependency's state for /readyz. */
export interface DependencyState {
  state: 'up' | 'down';
  latencyMs?: number;
  error?: string;
  since?: string;
}

export interface Readiness {
  database: DependencyState;
  redis: DependencyState;
}

/** The console's own ports (store/console-store.ts, store/console-read-model.ts) and settings. */
export interface ConsolePorts {
  sessions: ConsoleSessionRepository;
  attempts: SignInAttempts;
  read: ConsoleReadModel;
  settings: ConsoleSessionSettings;
  /** Where sign-ins are recorded; default: the audit log (action `console.signed_in`). */
  audit?: SignInAuditSink;
  providers?: ConsoleProviders;
}

/** Only the named ports of `all`: what one use-case is given. */
function only<K extends keyof CorePorts>(all: CorePorts, ...keys: K[]): Pick<CorePorts, K> {
  return Object.fromEntries(keys.map((k) => [k, all[k]])) as Pick<CorePorts, K>;
}

/** Build every use-case, each on the ports it uses (see each service's `…Ports` type); the console on its own ports. */
export function createServices(ports: CorePorts, ready: Services['ready'], consolePorts: ConsolePorts, storeUp: Services['storeUp'] = () => true): Services {
  const p = ports;
  const documents = new DocumentService(only(p, 'blobs', 'documents', 'dossiers', 'fetchUrl', 'logger', 'settings'));
  const results = new ResultService(only(p, 'blobs', 'clock', 'dossiers', 'fetchUrl', 'settings', 'transactions'));
  const events = new EventService(only(p, 'deadlines', 'dossiers', 'logger', 'telemetry', 'transactions'), results);
  const departments = new DepartmentService(only(p, 'adapterFactory', 'adapters', 'departments', 'logger', 'mapper'));
  const keys = new KeyService(p.keys, p.settings.adminApiKey);
  const health = new DepartmentHealthService(only(p, 'breaker', 'departments', 'logger', 'pauses'));
  const dossiers = new DossierService(only(p, 'deadlines', 'deliveries', 'departments', 'dossiers', 'logger', 'queue', 'telemetry', 'transactions'), health);
  const deliveries = new DeliveryAdminService(only(p, 'audit', 'deliveries', 'dossiers', 'logger', 'queue', 'transactions'), p.settings.retryBatch);
  const queries = new ConsoleQueries(consolePorts.read, () => p.deadlines.calendar());
  const followUp = followUpServices(only(p, 'breaker', 'clock', 'deadlines', 'departments', 'followUp', 'logger', 'settings'), departments);
  return {
    dossiers,
    health,
    deliveries,
    documents,
    events,
    departments,
    preview: new PreviewService(only(p, 'adapters', 'departments', 'dossiers', 'mapper'), departments),
    keys,
    delivery: new DeliveryService(only(p, 'adapters', 'deliveries', 'departments', 'dossiers', 'logger', 'mapper', 'settings', 'telemetry', 'transactions'), documents),
    poll: new PollService(only(p, 'adapters', 'departments', 'dossiers', 'logger', 'mapper'), events),
    results,
    procedures: new ProcedureService(only(p, 'deadlineStore', 'deadlines', 'departments', 'dossiers', 'logger')),
    calendar: new CalendarService(only(p, 'deadlineStore', 'deadlines', 'logger')),
    ...followUp,
    audit: new AuditService(p.audit),
    mapper: p.mapper,
    console: {
      sessions: new ConsoleSessionService(keys, consolePorts.sessions, consolePorts.attempts, consolePorts.settings, consolePorts.audit ?? signInAudit(only(p, 'audit', 'transactions'))),
      queries,
      // Deadlines are core: always there, on the same use-cases as the API (counts as ?deadline= counts, extension as POST …/extension).
      providers: {
        deadlines: consoleDeadlines(queries, dossiers),
        ...consoleFollowUp(followUp.alerts, followUp.reports, queries, () => new Date(p.clock.now())),
        ...consoleOperations(health, deliveries),
        ...consolePorts.providers,
      },
    },
    ready,
    storeUp,
  };
}
