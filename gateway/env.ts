import type { Logger } from '../core/logger.js';
import type { Principal } from '../core/model/principal.js';

/** What the gateway's middleware puts on each request's context. */
export interface GatewayEnv {
  Variables: {
    requestId: string;
    principal: Principal;
    logger: Logger;
    /** Set by handlers so the access log line names the dossier. */
    dossierCode?: string;
    /** More for the access line (an accept's department and delivery): one line per request, not two. */
    logFields?: Record<string, unknown>;
  };
}
