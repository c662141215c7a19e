import type { LiveSession } from '../../core/console/sessions.js';
import type { GatewayEnv } from '../env.js';

/** What the console's middleware puts on a request: the live session (its principal) and its raw id. */
export interface ConsoleEnv {
  Variables: GatewayEnv['Variables'] & {
    live: LiveSession;
    sessionId: string;
  };
}
