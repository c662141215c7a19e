import type { LiveSession } from '../../core/console/sessions.js';
import type { GatewayEnv } from '../env.js';
import type { PortalAdmin } from '../routes/portal.js';

export interface ConsoleOptions {
  /** National portal sync's handles, when it is on. */
  portal?: PortalAdmin | undefined;
  /** Take the client address from X-Forwarded-For (CONSOLE_TRUST_PROXY). */
  trustProxy: boolean;
}

/** What the console's middleware puts on a request: the live session (its principal) and its raw id. */
export interface ConsoleEnv {
  Variables: GatewayEnv['Variables'] & {
    live: LiveSession;
    sessionId: string;
  };
}
