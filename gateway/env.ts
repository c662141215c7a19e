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
  };
}
