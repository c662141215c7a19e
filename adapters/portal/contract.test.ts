import { portalContract } from '../../tests/contract/portal-contract.js';
import { PORTAL_ENV, startPortalSimulator } from '../../tests/helpers/portal-simulator.js';

/** The portal client against the strict portal simulator on a real port (tests/helpers/portal-simulator.ts). */
portalContract({
  name: 'portal simulator',
  async start() {
    const portal = await startPortalSimulator();
    return {
      config: (timeoutMs) => ({
        baseUrl: portal.url,
        authPath: PORTAL_ENV.PORTAL_AUTH_PATH,
        servicePath: PORTAL_ENV.PORTAL_SERVICE_PATH,
        dstcode: PORTAL_ENV.PORTAL_DSTCODE,
        agencyCode: PORTAL_ENV.PORTAL_AGENCY_CODE,
        username: PORTAL_ENV.PORTAL_USERNAME,
        password: PORTAL_ENV.PORTAL_PASSWORD,
        timeoutMs,
      }),
      async answerNormally() {
        portal.rejectWhen(undefined);
        portal.slow(0);
        await portal.up();
      },
      refuseConnections: () => portal.down('refused'),
      failTransiently: () => portal.down('503'),
      refuseData: (message) => portal.rejectWhen(() => message),
      answerAfter: (ms) => portal.slow(ms),
      expireSessions: () => portal.expireSessions('401'),
      logins: () => portal.logins,
      calls: () => portal.calls.map((c) => c.service),
      close: () => portal.close(),
    };
  },
});
