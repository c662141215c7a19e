import type { Db } from '../../store/db.js';
import type { DeliveryStore } from '../../store/delivery-store.js';
import type { DepartmentStore } from '../../store/department-store.js';
import type { DossierStore } from '../../store/dossier-store.js';
import type { KeyStore } from '../../store/key-store.js';
import type { DocumentStore } from '../../store/document-store.js';
import type { BlobStore } from '../documents.js';
import type { Readable } from 'node:stream';
import type { AdapterFactory } from '../adapter.js';
import type { Logger } from '../logger.js';
import type { Mapper } from '../mapper.js';
import type { AdapterProvider, DeliveryQueue } from '../ports.js';
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
import type { DeadlineRepository } from '../deadlines/ports.js';

/** Everything the use-cases need, wired once by the runtime (runtime/). */
export interface CoreContext {
  db: Db;
  dossiers: DossierStore;
  deliveries: DeliveryStore;
  departments: DepartmentStore;
  keys: KeyStore;
  documents: DocumentStore;
  /** The procedure catalog and calendar overrides, as stored. */
  deadlineStore: DeadlineRepository;
  /** The same, held in memory: what deadlines are computed with. */
  deadlines: DeadlineConfig;
  /** Document and result bytes, content-addressed. */
  blobs: BlobStore;
  /** Open a document or result URL as a stream; throws a classified `DeliveryError`. */
  fetchUrl: (url: string, options: { timeoutMs: number; maxBytes: number }) => Promise<Readable>;
  queue: DeliveryQueue;
  adapters: AdapterProvider;
  adapterFactory: (type: string) => AdapterFactory | undefined;
  mapper: Mapper;
  followUp: FollowUpPorts;
  logger: Logger;
  settings: {
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
  };
}
