import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adapterFactory } from '../../adapters/index.js';
import type { Adapter, CanonicalMessage, OutboundOperation } from '../../core/adapter.js';
import { DeliveryError } from '../../core/errors.js';
import { departmentConfigSchema, type DepartmentConfig } from '../../core/model/department.js';
import { JsonataMapper } from '../../mappings/index.js';
import { fixture } from '../helpers/fixtures.js';
import { freePort } from '../helpers/server-process.js';

/**
 * One running department system of a transport, as the contract suite drives
 * it. Every method changes what the *next* calls get.
 */
export interface ContractDepartment {
  /**
   * A department registration (the JSON an administrator would PUT) served by
   * this system: `operations.submit` with `request` and `reference`
   * expressions, `timeoutMs` as given.
   */
  registration(timeoutMs: number): Record<string, unknown>;
  /** The same registration pointing at `port`, where nothing listens. */
  registrationAt(port: number): Record<string, unknown>;
  /** Accept submissions normally. */
  answerNormally(): void;
  /** Answer like a department in trouble (REST 503, SOAP Server fault). */
  failTransiently(): void;
  /** Refuse the input (REST 400, SOAP Client fault). */
  refuseInput(): void;
  /** Answer normally, but only after `ms`. */
  answerAfter(ms: number): void;
  /** HTTP headers of every operation call received so far (not WSDL downloads or probes). */
  calls(): IncomingHttpHeaders[];
  /**
   * Transports with `receive` only: the department leaves the answer `name`
   * (`HS-0001.json`, content `answer` as JSON) for us, complete and ready to
   * be taken, after any it left before.
   */
  leaveAnswer?(name: string, answer: unknown): Promise<void>;
  close(): Promise<void>;
}

/** What each transport gives the contract suite. */
export interface ContractHarness {
  transport: string;
  start(): Promise<ContractDepartment>;
  /** What `reference` yields on the normal answer to the sample dossier `land-certificate`. */
  expectedReference: string;
  /**
   * Cases this transport does not run, by name, each with the reason (as in
   * hono's router test suite): reported as skipped with the reason in the
   * title, never as passed. Naming a case that does not exist fails the suite.
   */
  skip?: Record<string, string>;
}

/** The cases about `receive`: a transport without it skips exactly these, saying why. */
export const RECEIVE_CASES = [
  'receive: hands each answer left for us to handle once, in arrival order, then no more',
  'receive: sets aside an answer handle refuses, and offers again one it failed transiently',
] as const;

const mapper = new JsonataMapper();

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'expected a DeliveryError').toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
}

/**
 * The adapter contract (core/adapter.ts), run against a real department
 * server of each transport: what `send`, `prepare`, `check` and `close`
 * promise, whatever the wire looks like.
 */
export function adapterContract(harness: ContractHarness) {
  describe(`adapter contract: ${harness.transport}`, () => {
    const cases: string[] = [];
    /** `it`, or `it.skip` with the transport's reason in the title. */
    const test = (name: string, fn: () => Promise<void>) => {
      cases.push(name);
      const reason = harness.skip?.[name];
      if (reason) it.skip(`${name} (skipped: ${reason})`, fn);
      else it(name, fn);
    };
    let department: ContractDepartment;
    const adapters: Adapter[] = [];
    const dossier = fixture('land-certificate');

    function build(registration: Record<string, unknown>): { adapter: Adapter; config: DepartmentConfig } {
      const config = departmentConfigSchema.parse(registration);
      const factory = adapterFactory(config.transport.type);
      if (!factory) throw new Error(`no adapter for ${config.transport.type}`);
      expect(factory.configSchema.safeParse({ transport: config.transport, operations: config.operations }).success).toBe(true);
      const adapter = factory.create(config);
      adapters.push(adapter);
      return { adapter, config };
    }
    async function submit(config: DepartmentConfig): Promise<OutboundOperation> {
      const message: CanonicalMessage = { dossier };
      const payload = await mapper.request(config, 'submit', message);
      return { operation: 'submit', dossierCode: dossier.code, idempotencyKey: `${dossier.code}:submit`, message, payload };
    }

    beforeAll(async () => {
      department = await harness.start();
    });
    beforeEach(() => department.answerNormally());
    afterAll(async () => {
      await Promise.all(adapters.map((a) => a.close()));
      await department?.close();
    });

    test('sends submit once, with Idempotency-Key and X-Dossier-Code, and returns the answer the reference mapping reads', async () => {
      const { adapter, config } = build(department.registration(5000));
      const before = department.calls().length;
      const answer = await adapter.send(await submit(config));
      const calls = department.calls().slice(before);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.['idempotency-key']).toBe(`${dossier.code}:submit`);
      expect(calls[0]?.['x-dossier-code']).toBe(dossier.code);
      expect(await mapper.reference(config, answer.answer)).toBe(harness.expectedReference);
      // A transport status where there is one (HTTP); a file drop has none.
      if (answer.status !== undefined) expect(answer.status).toBeGreaterThanOrEqual(200);
    });

    test('is transient when the department is down', async () => {
      const { adapter, config } = build(department.registrationAt(await freePort()));
      const err = await failure(adapter.send(await submit(config)));
      expect(err.kind).toBe('transient');
      expect(err.message).toMatch(/connection refused/);
    });

    test('is transient when the department answers a server error, and the call did reach it', async () => {
      const { adapter, config } = build(department.registration(5000));
      department.failTransiently();
      const before = department.calls().length;
      const err = await failure(adapter.send(await submit(config)));
      expect(err.kind).toBe('transient');
      expect(department.calls().length - before).toBe(1);
    });

    test('is permanent when the department refuses the input', async () => {
      const { adapter, config } = build(department.registration(5000));
      department.refuseInput();
      const err = await failure(adapter.send(await submit(config)));
      expect(err.kind).toBe('permanent');
      expect(err.message).not.toContain(dossier.applicant.name);
    });

    test('gives up after timeoutMs, transiently', async () => {
      const { adapter, config } = build(department.registration(300));
      await adapter.check(); // a first contact (SOAP: the WSDL) outside the measured call
      department.answerAfter(3000);
      const op = await submit(config);
      const err = await failure(adapter.send(op));
      expect(err.kind).toBe('transient');
      expect(err.detail.code).toBe('TIMEOUT');
      expect(err.message).toMatch(/timeout after 300 ms/);
    });

    test("stops on the caller's signal, transiently", async () => {
      const { adapter, config } = build(department.registration(5000));
      await adapter.check();
      department.answerAfter(3000);
      const err = await failure(adapter.send(await submit(config), AbortSignal.timeout(200)));
      expect(err.kind).toBe('transient');
      expect(err.message).toMatch(/^aborted/);
    });

    test('prepares without sending anything', async () => {
      const { adapter, config } = build(department.registration(5000));
      const before = department.calls().length;
      const preview = await adapter.prepare(await submit(config));
      expect(preview).toBeTypeOf('object');
      expect(JSON.stringify(preview)).toContain(dossier.code);
      expect(department.calls()).toHaveLength(before);
    });

    test('checks: ok with a detail when reachable, not ok saying why when not', async () => {
      const ok = await build(department.registration(5000)).adapter.check();
      expect(ok.ok).toBe(true);
      expect(ok.detail).toBeTruthy();
      expect(ok.latencyMs).toBeGreaterThanOrEqual(0);
      const down = await build(department.registrationAt(await freePort())).adapter.check();
      expect(down).toMatchObject({ ok: false });
      expect(down.detail).toMatch(/connection refused/);
    });

    test('closes idempotently', async () => {
      const { adapter } = build(department.registration(5000));
      await adapter.close();
      await expect(adapter.close()).resolves.toBeUndefined();
    });

    /** The adapter's `receive`, and a place to leave answers: only transports that have both get here. */
    function receiving(): { receive: NonNullable<Adapter['receive']>; leave: NonNullable<ContractDepartment['leaveAnswer']> } {
      const { adapter } = build(department.registration(5000));
      if (!adapter.receive || !department.leaveAnswer) throw new Error(`${harness.transport} runs the receive cases: it needs receive and leaveAnswer`);
      return { receive: adapter.receive.bind(adapter), leave: department.leaveAnswer.bind(department) };
    }
    const answer = (n: number) => ({ maHoSo: dossier.code, trangThai: 'DA_XU_LY', lan: n });

    test(RECEIVE_CASES[0], async () => {
      const { receive, leave } = receiving();
      await leave('contract-1.json', answer(1));
      await leave('contract-2.json', answer(2));
      const seen: Array<[string, unknown]> = [];
      expect(await receive(async (m) => void seen.push([m.name, m.answer]))).toEqual({ received: 2, failed: 0 });
      expect(seen).toEqual([
        ['contract-1.json', answer(1)],
        ['contract-2.json', answer(2)],
      ]);
      expect(await receive(async (m) => void seen.push([m.name, m.answer]))).toEqual({ received: 0, failed: 0 });
      expect(seen).toHaveLength(2);
    });

    test(RECEIVE_CASES[1], async () => {
      const { receive, leave } = receiving();
      await leave('contract-refused.json', answer(3));
      await leave('contract-busy.json', answer(4));
      const offered: string[] = [];
      const outcome = await receive(async (m) => {
        offered.push(m.name);
        if (m.name === 'contract-refused.json') throw DeliveryError.permanent('no such dossier');
        throw DeliveryError.transient('store busy');
      });
      expect(outcome.received).toBe(0);
      expect(offered.sort()).toEqual(['contract-busy.json', 'contract-refused.json']);
      // Left for a later call (once the transport sees it ready again), never set aside.
      const again: string[] = [];
      for (const deadline = Date.now() + 15_000; again.length === 0 && Date.now() < deadline; ) {
        await receive(async (m) => void again.push(m.name));
        if (again.length === 0) await new Promise((r) => setTimeout(r, 200));
      }
      expect(again).toEqual(['contract-busy.json']);
    });

    it('skips only cases it has, each saying why, and the receive cases exactly when it cannot receive', () => {
      const skipped = Object.entries(harness.skip ?? {});
      for (const [name, reason] of skipped) {
        expect(cases, `skip names no case: ${name}`).toContain(name);
        expect(reason.trim(), `skip of "${name}" gives no reason`).not.toBe('');
      }
      const { adapter } = build(department.registration(5000));
      const skipsReceive = RECEIVE_CASES.map((c) => c in (harness.skip ?? {}));
      expect(skipsReceive).toEqual(RECEIVE_CASES.map(() => adapter.receive === undefined));
    });
  });
}
