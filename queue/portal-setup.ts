import { PortalClient, portalClientConfig } from '../adapters/portal/index.js';
import type { Settings } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import type { Db } from '../store/db.js';
import type { DepartmentStore } from '../store/department-store.js';
import type { DossierStore } from '../store/dossier-store.js';
import { PortalStore } from '../store/portal-store.js';
import { PortalSync, portalSyncOptions } from './portal-sync.js';
import { PortalWorker } from './portal-worker.js';

/**
 * National portal sync from the settings, or undefined when it is off (no
 * PORTAL_BASE_URL). In two steps because the dossier store records for the
 * portal (`store` goes into `new DossierStore(db, {portal: store})`) and the
 * pusher reads dossiers through that store (`connect`).
 */
export function portalPipeline(settings: Settings, db: Db, logger: Logger, onCall?: (service: string, outcome: string) => void) {
  const config = portalClientConfig(settings);
  if (!config) return undefined;
  const store = new PortalStore(db);
  return {
    store,
    connect(dossiers: DossierStore, departments: DepartmentStore) {
      const client = new PortalClient(config, fetch, onCall);
      const sync = new PortalSync({ db, dossiers, departments, store, client, logger: logger.child({ component: 'portal' }) }, portalSyncOptions(settings));
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
