import type { Mapper } from '../mapper.js';
import type { CoreContext } from './context.js';
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

export function createServices(ctx: CoreContext, ready: Services['ready'], storeUp: Services['storeUp'] = () => true): Services {
  const documents = new DocumentService(ctx);
  const results = new ResultService(ctx);
  const events = new EventService(ctx, results);
  const departments = new DepartmentService(ctx);
  const health = new DepartmentHealthService(ctx.departments, ctx.health, ctx.breaker, ctx.logger);
  return {
    dossiers: new DossierService(ctx, health),
    health,
    deliveries: new DeliveryAdminService(ctx, ctx.settings.retryBatch),
    documents,
    events,
    departments,
    preview: new PreviewService(ctx, departments),
    keys: new KeyService(ctx.keys, ctx.settings.adminApiKey),
    delivery: new DeliveryService(ctx, documents),
    poll: new PollService(ctx, events),
    results,
    audit: new AuditService(ctx.audit),
    mapper: ctx.mapper,
    ready,
    storeUp,
  };
}
