import type { Mapper } from '../mapper.js';
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
  audit: AuditService;
  health: DepartmentHealthService;
  deliveries: DeliveryAdminService;
  mapper: Mapper;
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

/** Only the named ports of `all`: what one use-case is given. */
function only<K extends keyof CorePorts>(all: CorePorts, ...keys: K[]): Pick<CorePorts, K> {
  return Object.fromEntries(keys.map((k) => [k, all[k]])) as Pick<CorePorts, K>;
}

/** Build every use-case, each on the ports it uses (see each service's `…Ports` type). */
export function createServices(ports: CorePorts, ready: Services['ready'], storeUp: Services['storeUp'] = () => true): Services {
  const p = ports;
  const documents = new DocumentService(only(p, 'blobs', 'documents', 'dossiers', 'fetchUrl', 'logger', 'settings'));
  const results = new ResultService(only(p, 'blobs', 'clock', 'dossiers', 'fetchUrl', 'settings', 'transactions'));
  const events = new EventService(only(p, 'dossiers', 'logger', 'telemetry', 'transactions'), results);
  const departments = new DepartmentService(only(p, 'adapterFactory', 'adapters', 'departments', 'logger', 'mapper'));
  const health = new DepartmentHealthService(only(p, 'breaker', 'departments', 'logger', 'pauses'));
  return {
    dossiers: new DossierService(only(p, 'deliveries', 'departments', 'dossiers', 'logger', 'queue', 'telemetry', 'transactions'), health),
    health,
    deliveries: new DeliveryAdminService(only(p, 'audit', 'deliveries', 'dossiers', 'logger', 'queue', 'transactions'), p.settings.retryBatch),
    documents,
    events,
    departments,
    preview: new PreviewService(only(p, 'adapters', 'departments', 'dossiers', 'mapper'), departments),
    keys: new KeyService(p.keys, p.settings.adminApiKey),
    delivery: new DeliveryService(only(p, 'adapters', 'deliveries', 'departments', 'dossiers', 'logger', 'mapper', 'settings', 'telemetry', 'transactions'), documents),
    poll: new PollService(only(p, 'adapters', 'departments', 'dossiers', 'logger', 'mapper'), events),
    results,
    audit: new AuditService(p.audit),
    mapper: p.mapper,
    ready,
    storeUp,
  };
}
