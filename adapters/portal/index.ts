import type { Settings } from '../../core/config.js';
import type { PortalClient as PortalClientPort } from '../../core/ports/index.js';
import { PortalClient } from './client.js';
import { portalClientConfig, secretPaths, type PortalClientConfig } from './config.js';
import type { DossierItem, ProgressItem } from './wire.js';

/**
 * The national portal (DVCQG) adapter, shaped like the transports:
 * `config.ts` (its settings), `classify.ts` (its failures), `client.ts`
 * (log-in, session, calls), `wire.ts` (everything the portal's format
 * decides), `translate.ts` (canonical dossier and timeline → portal objects).
 * It implements core's `PortalClient` port (core/ports/portal-client.ts).
 */
export const portalAdapterFactory = {
  type: 'portal',
  secretPaths,
  /** The client's settings, or undefined when sync is off (no PORTAL_BASE_URL). */
  config: (settings: Settings): PortalClientConfig | undefined => portalClientConfig(settings),
  /** A client for `config`; `onCall` hears each service call's outcome (metrics); `fetchImpl` replaces the global fetch (tests). */
  create(config: PortalClientConfig, onCall?: (service: string, outcome: 'ok' | 'rejected' | 'failed') => void, fetchImpl?: typeof fetch): PortalClientPort<DossierItem, ProgressItem> {
    return new PortalClient(config, fetchImpl, onCall);
  },
};
