/**
 * The ports: every interface core's use-cases talk to, one file each.
 * Core declares them; store/, queue/, adapters/ and runtime/ implement them
 * (docs/architecture.md lists who implements which).
 */
export type { AdapterProvider } from './adapter-provider.js';
export { BlobError, type BlobStore } from './blob-store.js';
export { systemClock, type Clock } from './clock.js';
export type { DeadlineRepository } from './deadline-repository.js';
export type { DeliveryQueue } from './delivery-queue.js';
export type { DeliveryListItem, DeliveryRepository, DeliveryRow, FailedFilter, NewDelivery, StaleCursor } from './delivery-repository.js';
export type { AuditFilter, AuditLog, AuditRow } from './audit-log.js';
export type { CircuitBreaker, CircuitState, CircuitView, PauseRepository, WaitingReason } from './circuit-breaker.js';
export { noTelemetry, type EventSource, type Telemetry } from './telemetry.js';
export type { DepartmentRepository, DepartmentVersion } from './department-repository.js';
export type { DocumentRepository, DocumentRow } from './document-repository.js';
export type { AcceptGuard, AcceptResult, DossierFilter, DossierRepository, DossierRow, DossierView, NewTimelineEntry, TimelineEntry } from './dossier-repository.js';
export type { ApiKeyListing, ApiKeyRecord, KeyRepository } from './key-repository.js';
export type { PortalClaim, PortalCounts, PortalRepository, PortalView } from './portal-repository.js';
export type { Transaction, Transactions } from './transaction.js';
export { SoapFaultError, type InboundEnvelope, type InboundSoapCodec, type PostEventAnswer, type SoapVersion } from './inbound-soap.js';
export { isPortalRejection, PORTAL_REJECTED, type Checked, type PortalClient, type PortalRejected, type PortalSubject, type PortalTranslator } from './portal-client.js';
export type { UrlFetcher } from './url-fetcher.js';
