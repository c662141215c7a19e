import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PortalClient } from '../../adapters/portal/client.js';
import { isRejection } from '../../adapters/portal/classify.js';
import type { PortalClientConfig } from '../../adapters/portal/config.js';
import { DeliveryError } from '../../core/errors.js';
import { freePort } from '../helpers/server-process.js';

/**
 * One running national portal (Cổng dịch vụ công quốc gia) as the portal
 * contract drives it. Every method changes what the *next* calls get.
 */
export interface ContractPortal {
  /** Client settings (the PORTAL_* settings) for this portal, `timeoutMs` as given. */
  config(timeoutMs: number): PortalClientConfig;
  /** Answer normally: up, fast, sessions valid, no data refused. */
  answerNormally(): Promise<void>;
  /** Refuse connections (the portal is down). */
  refuseConnections(): Promise<void>;
  /** Answer HTTP 503 to everything. */
  failTransiently(): Promise<void>;
  /** Refuse the data of every call with `message` (a non-zero `error_code`). */
  refuseData(message: string): void;
  /** Answer, but only after `ms`. */
  answerAfter(ms: number): void;
  /** Every session expires: the next call is refused for its session. */
  expireSessions(): void;
  /** Log-ins the portal has seen. */
  logins(): number;
  /** Service calls (not log-ins) the portal has seen, by service name. */
  calls(): string[];
  close(): Promise<void>;
}

export interface PortalContractHarness {
  name: string;
  start(): Promise<ContractPortal>;
  /** Cases not run, by name, each with the reason: reported skipped, never passed. */
  skip?: Record<string, string>;
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'expected a DeliveryError').toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
}

/**
 * The portal client's contract (adapters/portal/client.ts) against a real
 * portal server: one log-in kept and renewed exactly once, batches of at most
 * 10, and every failure classified as the delivery adapters classify theirs
 * (transient outage and timeout, permanent configuration, `PortalRejection`
 * for refused data). It uses `lookup` (TraCuuHoSo), which any dossier code
 * can be given to, so the contract holds whatever the translation does.
 */
export function portalContract(harness: PortalContractHarness) {
  describe(`portal client contract: ${harness.name}`, () => {
    const cases: string[] = [];
    const test = (name: string, fn: () => Promise<void>) => {
      cases.push(name);
      const reason = harness.skip?.[name];
      if (reason) it.skip(`${name} (skipped: ${reason})`, fn);
      else it(name, fn);
    };
    let portal: ContractPortal;
    const code = (n: number) => `000.00.00.H63-261128-${String(n).padStart(4, '0')}`;

    beforeAll(async () => {
      portal = await harness.start();
    });
    beforeEach(() => portal.answerNormally());
    afterAll(() => portal?.close());

    test('logs in once for many calls, and each call reaches the portal once', async () => {
      const client = new PortalClient(portal.config(3000));
      const logins = portal.logins();
      const before = portal.calls().length;
      for (let i = 0; i < 3; i++) expect(await client.lookup([code(900 + i)])).toEqual(new Set());
      expect(portal.logins() - logins).toBe(1);
      expect(portal.calls().slice(before)).toEqual(['TraCuuHoSo', 'TraCuuHoSo', 'TraCuuHoSo']);
    });

    test('logs in again exactly once when the session expired, however many calls saw it', async () => {
      const client = new PortalClient(portal.config(3000));
      await client.lookup([code(910)]);
      const logins = portal.logins();
      portal.expireSessions();
      await Promise.all(Array.from({ length: 5 }, (_, i) => client.lookup([code(911 + i)])));
      expect(portal.logins() - logins).toBe(1);
    });

    test('sends at most 10 items a call: more is refused before anything is sent', async () => {
      const client = new PortalClient(portal.config(3000));
      const before = portal.calls().length;
      await expect(client.lookup(Array.from({ length: 11 }, (_, i) => code(920 + i)))).rejects.toThrow(RangeError);
      expect(portal.calls()).toHaveLength(before);
    });

    test('is a PortalRejection, permanent and keeping the portal message, when the portal refuses the data', async () => {
      const client = new PortalClient(portal.config(3000));
      portal.refuseData('Mã TTHC 2.001610 chưa được công bố');
      const err = await failure(client.lookup([code(930)]));
      expect(isRejection(err)).toBe(true);
      expect(err).toMatchObject({ kind: 'permanent', portalMessage: 'Mã TTHC 2.001610 chưa được công bố' });
    });

    test('is transient when the portal is down or answers a server error', async () => {
      const client = new PortalClient(portal.config(3000));
      await portal.refuseConnections();
      expect(await failure(client.lookup([code(940)]))).toMatchObject({ kind: 'transient', message: expect.stringMatching(/connection (refused|reset|closed)/) });
      await portal.failTransiently();
      expect(await failure(client.lookup([code(941)]))).toMatchObject({ kind: 'transient', detail: { status: 503 } });
    });

    test('gives up after timeoutMs, transiently (TIMEOUT)', async () => {
      const client = new PortalClient(portal.config(300));
      await client.lookup([code(950)]);
      portal.answerAfter(2000);
      const err = await failure(client.lookup([code(951)]));
      expect(err).toMatchObject({ kind: 'transient', detail: { code: 'TIMEOUT' } });
    });

    test('is permanent, and no rejection, when the log-in is refused (configuration, not data)', async () => {
      const err = await failure(new PortalClient({ ...portal.config(3000), password: 'sai' }).lookup([code(960)]));
      expect(err.kind).toBe('permanent');
      expect(isRejection(err)).toBe(false);
    });

    test('checks: ok when it can log in, not ok saying why when not', async () => {
      expect(await new PortalClient(portal.config(3000)).check()).toMatchObject({ ok: true });
      const down = await new PortalClient({ ...portal.config(3000), baseUrl: `http://127.0.0.1:${await freePort()}` }).check();
      expect(down).toMatchObject({ ok: false, detail: expect.stringContaining('connection refused') });
    });

    it('skips only cases it has, each saying why', () => {
      for (const [name, reason] of Object.entries(harness.skip ?? {})) {
        expect(cases, `skip names no case: ${name}`).toContain(name);
        expect(reason.trim(), `skip of "${name}" gives no reason`).not.toBe('');
      }
    });
  });
}
