import type { AdapterFactory } from '../adapter.js';
import type { Logger } from '../logger.js';
import type { Mapper } from '../mapper.js';
import type {
  AdapterProvider,
  AuditLog,
  CircuitBreaker,
  PauseRepository,
  Telemetry,
  BlobStore,
  Clock,
  DeliveryQueue,
  DeadlineRepository,
  DeliveryRepository,
  DepartmentRepository,
  DocumentRepository,
  DossierRepository,
  KeyRepository,
  Transactions,
  UrlFetcher,
} from '../ports/index.js';
import type { AlertRepository, ReportRepository, WebhookOutbox, WebhookSender } from '../follow-up/ports.js';

/** The ports of follow-up (alerts, their webhook, the progress report): core/follow-up/ports.ts. */
export interface FollowUpPorts {
  alerts: AlertRepository;
  reports: ReportRepository;
  webhooks: WebhookOutbox;
  /** Set when ALERT_WEBHOOK_URL is. */
  webhookSender?: WebhookSender;
}
import type { DeadlineConfig } from '../deadlines/deadline-config.js';

/** Settings the use-cases read (validated at start by core/config.ts). */
export interface CoreSettings {
  adminApiKey?: string;
  /** Attempt budget of a delivery when its department sets none. */
  deliveryAttempts: number;
  /** Largest document or result accepted, in bytes. */
  documentMaxBytes: number;
  documentFetchTimeoutMs: number;
  /** First retry delay of a result document that could not be fetched (doubles each time). */
  resultRetryMs: number;
  /** ALERT_EVERY_MS, STUCK_AFTER_MS. */
  alertEveryMs: number;
  stuckAfterMs: number;
  /** The alert webhook's settings, when ALERT_WEBHOOK_URL is set. */
  alertWebhook?: { secret: string; timeoutMs: number; backoffMs: number; attempts: number };
  /** Rows per transaction of a bulk retry (RETRY_BATCH, default 500). */
  retryBatch?: number;
}

/**
 * Every port the runtime wires (runtime/runtime.ts), by name. No use-case
 * gets all of them: each declares the few it uses as a `Pick` of this type
 * (`DossierPorts`, `DeliveryPorts`, …) and `createServices` hands it exactly those.
 */
export interface CorePorts {
  transactions: Transactions;
  dossiers: DossierRepository;
  deliveries: DeliveryRepository;
  departments: DepartmentRepository;
  keys: KeyRepository;
  documents: DocumentRepository;
  /** The procedure catalog and calendar overrides, as stored. */
  deadlineStore: DeadlineRepository;
  /** The same, held in memory by this process: what due dates and deadline states are computed with. */
  deadlines: DeadlineConfig;
  /** The audit log: `audit.write(tx, {actor, action, subject, detail})` inside the change's transaction. */
  audit: AuditLog;
  /** The circuit breaker per department (shared state in Redis) and the stored pause flags. */
  breaker: CircuitBreaker;
  pauses: PauseRepository;
  /** Metrics of this process (counters and histograms; cheap, in memory). */
  telemetry: Telemetry;
  /** Document and result bytes, content-addressed. */
  blobs: BlobStore;
  fetchUrl: UrlFetcher;
  /** What time it is (result retry schedule). */
  clock: Clock;
  queue: DeliveryQueue;
  adapters: AdapterProvider;
  /** The transport factory of a department's `transport.type` (its config schema and secret paths). */
  adapterFactory: (type: string) => AdapterFactory | undefined;
  mapper: Mapper;
  /** Alerts, their webhook outbox and sender, the progress report. */
  followUp: FollowUpPorts;
  logger: Logger;
  settings: CoreSettings;
}

/** @deprecated the old name of {@link CorePorts}, kept so callers still compile. */
export type CoreContext = CorePorts;
