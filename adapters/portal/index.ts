import type { Settings } from '../../core/config.js';
import type { PortalClientConfig } from './client.js';

/**
 * The national portal (DVCQG) client: `client.ts` (log-in, session, calls,
 * failure classes), `wire.ts` (everything the portal's format decides),
 * `translate.ts` (canonical dossier and timeline → portal objects).
 */
export { isRejection, PortalClient, PortalRejection, type PortalClientConfig } from './client.js';
export { checkedDossier, checkedStep, portalDossier, portalStep, type PortalDossier, type PortalStep, type TranslationContext } from './translate.js';
export { MAX_BATCH, SERVICES, type DossierItem, type ProgressItem } from './wire.js';

/** The client's settings, or undefined when sync is off (no PORTAL_BASE_URL). Validated at start (core/config.ts). */
export function portalClientConfig(settings: Settings): PortalClientConfig | undefined {
  const s = settings;
  if (!s.PORTAL_BASE_URL) return undefined;
  const required = (name: keyof Settings) => {
    const value = s[name];
    if (typeof value !== 'string' || !value) throw new Error(`${name} is required when PORTAL_BASE_URL is set`);
    return value;
  };
  return {
    baseUrl: s.PORTAL_BASE_URL,
    authPath: required('PORTAL_AUTH_PATH'),
    servicePath: required('PORTAL_SERVICE_PATH'),
    dstcode: required('PORTAL_DSTCODE'),
    agencyCode: required('PORTAL_AGENCY_CODE'),
    username: required('PORTAL_USERNAME'),
    password: required('PORTAL_PASSWORD'),
    timeoutMs: s.PORTAL_TIMEOUT_MS,
  };
}
