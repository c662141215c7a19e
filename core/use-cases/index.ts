import type { Mapper } from '../mapper.js';
import type { CorePorts } from './context.js';
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
  /** Readiness of what a request needs: the database and Redis. */
  ready(): Promise<{ database: boolean; redis: boolean }>;
}

/** Only the named ports of `all`: what one use-case is given. */
function only<K extends keyof CorePorts>(all: CorePorts, ...keys: K[]): Pick<CorePorts, K> {
  return Object.fromEntries(keys.map((k) => [k, all[k]])) as Pick<CorePorts, K>;
}

/** Build every use-case, each on the ports it uses (see each service's `…Ports` type). */
export function createServices(ports: CorePorts, ready: Services['ready']): Services {
  const p = ports;
  const documents = new DocumentService(only(p, 'blobs', 'documents', 'dossiers', 'fetchUrl', 'logger', 'settings'));
  const results = new ResultService(only(p, 'blobs', 'clock', 'dossiers', 'fetchUrl', 'settings', 'transactions'));
  const events = new EventService(only(p, 'dossiers', 'logger', 'transactions'), results);
  const departments = new DepartmentService(only(p, 'adapterFactory', 'adapters', 'departments', 'logger', 'mapper'));
  return {
    dossiers: new DossierService(only(p, 'deliveries', 'departments', 'dossiers', 'logger', 'queue', 'transactions')),
    documents,
    events,
    departments,
    preview: new PreviewService(only(p, 'adapters', 'departments', 'dossiers', 'mapper'), departments),
    keys: new KeyService(p.keys, p.settings.adminApiKey),
    delivery: new DeliveryService(only(p, 'adapters', 'deliveries', 'departments', 'dossiers', 'logger', 'mapper', 'settings', 'transactions'), documents),
    poll: new PollService(only(p, 'adapters', 'departments', 'dossiers', 'logger', 'mapper'), events),
    results,
    mapper: p.mapper,
    ready,
  };
}
