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
  DeliveryRepository,
  DepartmentRepository,
  DocumentRepository,
  DossierRepository,
  KeyRepository,
  Transactions,
  UrlFetcher,
} from '../ports/index.js';

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
  logger: Logger;
  settings: CoreSettings;
}

/** @deprecated the old name of {@link CorePorts}, kept so callers still compile. */
export type CoreContext = CorePorts;
