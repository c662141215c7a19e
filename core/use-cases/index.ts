import type { Mapper } from '../mapper.js';
import type { ConsoleReadModel, ConsoleSessionRepository, SignInAttempts } from '../console/ports.js';
import type { ConsoleProviders } from '../console/providers.js';
import { ConsoleQueries } from '../console/queries.js';
import { ConsoleSessionService, type ConsoleSessionSettings, type SignInAuditSink } from '../console/sessions.js';
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
  mapper: Mapper;
  /** The operator console (bảng điều khiển): its sessions, its reads, and the data other features provide. */
  console: { sessions: ConsoleSessionService; queries: ConsoleQueries; providers: ConsoleProviders };
  /** Readiness of what a request needs: the database and Redis. */
  ready(): Promise<{ database: boolean; redis: boolean }>;
}

/** The console's own ports (store/console-store.ts, store/console-read-model.ts) and settings. */
export interface ConsolePorts {
  sessions: ConsoleSessionRepository;
  attempts: SignInAttempts;
  read: ConsoleReadModel;
  settings: ConsoleSessionSettings;
  /** The audit log's sink for sign-ins, once it exists (branch ops). */
  audit?: SignInAuditSink;
  providers?: ConsoleProviders;
}

export function createServices(ctx: CoreContext, ready: Services['ready'], consolePorts: ConsolePorts): Services {
  const documents = new DocumentService(ctx);
  const results = new ResultService(ctx);
  const events = new EventService(ctx, results);
  const departments = new DepartmentService(ctx);
  const keys = new KeyService(ctx.keys, ctx.settings.adminApiKey);
  return {
    dossiers: new DossierService(ctx),
    documents,
    events,
    departments,
    preview: new PreviewService(ctx, departments),
    keys,
    delivery: new DeliveryService(ctx, documents),
    poll: new PollService(ctx, events),
    results,
    mapper: ctx.mapper,
    console: {
      sessions: new ConsoleSessionService(keys, consolePorts.sessions, consolePorts.attempts, consolePorts.settings, consolePorts.audit),
      queries: new ConsoleQueries(consolePorts.read),
      providers: consolePorts.providers ?? {},
    },
    ready,
  };
}
