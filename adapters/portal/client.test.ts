import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../core/errors.js';
import { fixture } from '../../tests/helpers/fixtures.js';
import { PORTAL_ENV, startPortalSimulator, type PortalSimulator } from '../../tests/helpers/portal-simulator.js';
import { isRejection } from './classify.js';
import { PortalClient } from './client.js';
import type { PortalClientConfig } from './config.js';
import { checkedDossier, checkedStep } from './translate.js';
import type { DossierItem } from './wire.js';

/** The client against the strict simulator on a real port: what the portal receives is what counts. */
describe('portal client', () => {
  let portal: PortalSimulator;
  let config: PortalClientConfig;
  const dossier = (n: number): DossierItem => {
    const content = { ...fixture('business-registration'), code: `000.00.00.H63-261128-${String(n).padStart(4, '0')}` };
    const r = checkedDossier({ row: { code: content.code, content, results: [] }, departmentName: 'Sở KH&ĐT', centerName: 'TTPVHCC' }, 'received');
    if (!r.ok) throw new Error(r.problems.join('; '));
    return r.item;
  };

  beforeAll(async () => {
    portal = await startPortalSimulator();
    config = {
      baseUrl: portal.url,
      authPath: PORTAL_ENV.PORTAL_AUTH_PATH,
      servicePath: PORTAL_ENV.PORTAL_SERVICE_PATH,
      dstcode: PORTAL_ENV.PORTAL_DSTCODE,
      agencyCode: PORTAL_ENV.PORTAL_AGENCY_CODE,
      username: PORTAL_ENV.PORTAL_USERNAME,
      password: PORTAL_ENV.PORTAL_PASSWORD,
      timeoutMs: 1000,
    };
  });
  afterAll(() => portal?.close());
  beforeEach(async () => {
    portal.rejectWhen(undefined);
    portal.slow(0);
    await portal.up();
  });

  it('logs in once, creates then updates, looks dossiers up, appends steps', async () => {
    const client = new PortalClient(config);
    const logins = portal.logins;
    const items = Array.from({ length: 10 }, (_, i) => dossier(100 + i));
    expect(await client.lookup([items[0]!.MaHoSo])).toEqual(new Set());
    await client.syncDossiers(items, false);
    await client.syncDossiers([{ ...items[0]!, TrangThaiHoSo: 4 }], true);
    expect(await client.lookup([items[0]!.MaHoSo, '000.00.00.H63-261128-9999'])).toEqual(new Set([items[0]!.MaHoSo]));
    const content = fixture('business-registration');
    const step = checkedStep(
      { row: { code: items[0]!.MaHoSo, content, results: [] }, departmentName: 'Sở KH&ĐT', centerName: 'TTPVHCC' },
      { seq: 2, type: 'delivered', status: 'processing', at: '2026-11-28T03:00:00Z', actor: 'department:x', note: null, detail: null },
      content.receivedAt,
    );
    if (!step.ok) throw new Error(step.problems.join());
    await client.appendProgress([step.item]);
    expect(portal.logins).toBe(logins + 1);
    expect(client.logins).toBe(1);
    expect(portal.history(items[0]!.MaHoSo)).toEqual(['create 2', 'update 4', 'step 4']);
  });

  it('never sends more than 10 items in a call', async () => {
    const client = new PortalClient(config);
    const calls = portal.calls.length;
    await expect(client.syncDossiers(Array.from({ length: 11 }, (_, i) => dossier(200 + i)), false)).rejects.toThrow(RangeError);
    expect(portal.calls.length).toBe(calls);
  });

  it.each(['401', 'error_code'] as const)('logs in again exactly once when the session expired (%s), however many calls saw it', async (style) => {
    const client = new PortalClient(config);
    await client.lookup(['000.00.00.H63-261128-0001']);
    const logins = portal.logins;
    portal.expireSessions(style);
    portal.slow(30);
    await Promise.all(Array.from({ length: 5 }, (_, i) => client.syncDossiers([dossier(300 + i + (style === '401' ? 0 : 10))], false)));
    expect(portal.logins).toBe(logins + 1);
  });

  it('keeps the portal message of a rejection and does not call it transient', async () => {
    const client = new PortalClient(config);
    portal.rejectWhen(() => 'Mã TTHC 2.001610 chưa được công bố');
    const err = await client.syncDossiers([dossier(400)], false).catch((e: unknown) => e);
    expect(isRejection(err)).toBe(true);
    expect(err).toMatchObject({ kind: 'permanent', service: 'DongBoHoSoMC', errorCode: 9, portalMessage: 'Mã TTHC 2.001610 chưa được công bố' });
    // The strict portal itself: an update of a dossier it does not have, a create of one it has.
    portal.rejectWhen(undefined);
    expect(isRejection(await client.syncDossiers([dossier(401)], true).catch((e: unknown) => e))).toBe(true);
    await client.syncDossiers([dossier(402)], false);
    const again = await client.syncDossiers([dossier(402)], false).catch((e: unknown) => e);
    expect(again).toMatchObject({ portalMessage: expect.stringContaining('đã tồn tại') });
  });

  it('calls an outage transient: refused connections, 503, timeouts', async () => {
    const client = new PortalClient(config);
    await client.lookup(['x']);
    await portal.down('refused');
    // The kept-alive connection was closed under it; the next one is refused.
    expect(await client.lookup(['x']).catch((e: unknown) => e)).toMatchObject({ kind: 'transient', message: expect.stringMatching(/connection (closed by the portal|reset|refused)/) });
    expect(await client.lookup(['x']).catch((e: unknown) => e)).toMatchObject({ kind: 'transient', message: expect.stringContaining('connection refused') });
    await portal.down('503');
    expect(await client.lookup(['x']).catch((e: unknown) => e)).toMatchObject({ kind: 'transient', message: expect.stringContaining('HTTP 503') });
    await portal.up();
    portal.slow(1500);
    expect(await client.lookup(['x']).catch((e: unknown) => e)).toMatchObject({ kind: 'transient', message: expect.stringContaining('timeout') });
  });

  it('refuses a wrong dstcode or password as a permanent problem of configuration, not of data', async () => {
    const wrongDst = await new PortalClient({ ...config, dstcode: 'DST-KHAC' }).lookup(['x']).catch((e: unknown) => e);
    expect(wrongDst).toBeInstanceOf(DeliveryError);
    expect(wrongDst).toMatchObject({ kind: 'permanent', message: expect.stringContaining('HTTP 403') });
    expect(isRejection(wrongDst)).toBe(false);
    const wrongPassword = await new PortalClient({ ...config, password: 'sai' }).lookup(['x']).catch((e: unknown) => e);
    expect(wrongPassword).toMatchObject({ kind: 'permanent', detail: { code: 'LOGIN_REFUSED' }, message: expect.stringContaining('Sai tên đăng nhập') });
    expect(isRejection(wrongPassword)).toBe(false);
  });
});
