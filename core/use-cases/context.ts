import type { Db } from '../../store/db.js';
import type { DeliveryStore } from '../../store/delivery-store.js';
import type { DepartmentStore } from '../../store/department-store.js';
import type { DossierStore } from '../../store/dossier-store.js';
import type { KeyStore } from '../../store/key-store.js';
import type { DocumentStore } from '../../store/document-store.js';
import type { AuditStore } from '../../store/audit-store.js';
import type { BlobStore } from '../documents.js';
import type { Readable } from 'node:stream';
import type { AdapterFactory } from '../adapter.js';
import type { Logger } from '../logger.js';
import type { Mapper } from '../mapper.js';
import type { AdapterProvider, CircuitBreaker, DeliveryQueue, Telemetry } from '../ports.js';
import type { HealthStore } from '../../store/health-store.js';

/** Everything the use-cases need, wired once by the runtime (runtime/). */
export interface CoreContext {
  db: Db;
  dossiers: DossierStore;
  deliveries: DeliveryStore;
  departments: DepartmentStore;
  keys: KeyStore;
  documents: DocumentStore;
  /** The audit log: `ctx.audit.write(q, {actor, action, subject, detail})` inside the change's transaction. */
  audit: AuditStore;
  /** Document and result bytes, content-addressed. */
  blobs: BlobStore;
  /** Open a document or result URL as a stream; throws a classified `DeliveryError`. */
  fetchUrl: (url: string, options: { timeoutMs: number; maxBytes: number }) => Promise<Readable>;
  queue: DeliveryQueue;
  /** The circuit breaker per department (shared state in Redis) and the stored pause flags. */
  breaker: CircuitBreaker;
  health: HealthStore;
  adapters: AdapterProvider;
  adapterFactory: (type: string) => AdapterFactory | undefined;
  mapper: Mapper;
  logger: Logger;
  /** Metrics of this process (counters and histograms; cheap, in memory). */
  telemetry: Telemetry;
  settings: {
    adminApiKey?: string;
    /** Attempt budget of a delivery when its department sets none. */
    deliveryAttempts: number;
    /** Largest document or result accepted, in bytes. */
    documentMaxBytes: number;
    documentFetchTimeoutMs: number;
    /** First retry delay of a result document that could not be fetched (doubles each time). */
    resultRetryMs: number;
    /** Rows per transaction of a bulk retry (RETRY_BATCH, default 500). */
    retryBatch?: number;
  };
}
