import { portalAdapterFactory } from '../adapters/portal/index.js';
import type { Settings } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import type { DepartmentRepository, DossierRepository } from '../core/ports/index.js';
import { PortalSync, portalSyncOptions } from '../core/use-cases/portal-sync.js';
import { PortalWorker } from '../queue/portal-worker.js';
import type { Db } from '../store/db.js';
import { PortalStore } from '../store/portal-store.js';
import { transactions } from '../store/transactions.js';

/**
 * National portal sync from the settings, or undefined when it is off (no
 * PORTAL_BASE_URL). In two steps because the dossier store records for the
 * portal (`store` goes into `new DossierStore(db, {portal: store})`) and the
 * pusher reads dossiers through that store (`connect`).
 */
export function portalPipeline(settings: Settings, db: Db, logger: Logger, onCall?: (service: string, outcome: string) => void) {
  const config = portalAdapterFactory.config(settings);
  if (!config) return undefined;
  const store = new PortalStore(db);
  return {
    store,
    connect(dossiers: DossierRepository, departments: DepartmentRepository) {
      const client = portalAdapterFactory.create(config, onCall);
      const sync = new PortalSync({ transactions: transactions(db), dossiers, departments, store, client, logger: logger.child({ component: 'portal' }) }, portalSyncOptions(settings));
      const worker = () =>
        new PortalWorker(sync, store, logger, {
          concurrency: settings.PORTAL_CONCURRENCY,
          pollMs: settings.PORTAL_POLL_MS,
          shutdownTimeoutMs: settings.SHUTDOWN_TIMEOUT_MS,
        });
      return { client, sync, worker };
    },
  };
}
