import type { AdapterFactory } from '../adapter.js';
import type { Logger } from '../logger.js';
import type { Mapper } from '../mapper.js';
import type {
  AdapterProvider,
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
