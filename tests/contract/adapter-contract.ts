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
  close(): Promise<void>;
}

/** What each transport gives the contract suite. */
export interface ContractHarness {
  transport: string;
  start(): Promise<ContractDepartment>;
  /** What `reference` yields on the normal answer to the sample dossier `land-certificate`. */
  expectedReference: string;
}

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

    it('sends submit once, with Idempotency-Key and X-Dossier-Code, and returns the answer the reference mapping reads', async () => {
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

    it('is transient when the department is down', async () => {
      const { adapter, config } = build(department.registrationAt(await freePort()));
      const err = await failure(adapter.send(await submit(config)));
      expect(err.kind).toBe('transient');
      expect(err.message).toMatch(/connection refused/);
    });

    it('is transient when the department answers a server error, and the call did reach it', async () => {
      const { adapter, config } = build(department.registration(5000));
      department.failTransiently();
      const before = department.calls().length;
      const err = await failure(adapter.send(await submit(config)));
      expect(err.kind).toBe('transient');
      expect(department.calls().length - before).toBe(1);
    });

    it('is permanent when the department refuses the input', async () => {
      const { adapter, config } = build(department.registration(5000));
      department.refuseInput();
      const err = await failure(adapter.send(await submit(config)));
      expect(err.kind).toBe('permanent');
      expect(err.message).not.toContain(dossier.applicant.name);
    });

    it('gives up after timeoutMs, transiently', async () => {
      const { adapter, config } = build(department.registration(300));
      await adapter.check(); // a first contact (SOAP: the WSDL) outside the measured call
      department.answerAfter(3000);
      const op = await submit(config);
      const started = Date.now();
      const err = await failure(adapter.send(op));
      expect(err.kind).toBe('transient');
      expect(err.message).toMatch(/timeout after 300 ms/);
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it("stops on the caller's signal, transiently", async () => {
      const { adapter, config } = build(department.registration(5000));
      await adapter.check();
      department.answerAfter(3000);
      const err = await failure(adapter.send(await submit(config), AbortSignal.timeout(200)));
      expect(err.kind).toBe('transient');
      expect(err.message).toMatch(/^aborted/);
    });

    it('prepares without sending anything', async () => {
      const { adapter, config } = build(department.registration(5000));
      const before = department.calls().length;
      const preview = await adapter.prepare(await submit(config));
      expect(preview).toBeTypeOf('object');
      expect(JSON.stringify(preview)).toContain(dossier.code);
      expect(department.calls()).toHaveLength(before);
    });

    it('checks: ok with a detail when reachable, not ok saying why when not', async () => {
      const ok = await build(department.registration(5000)).adapter.check();
      expect(ok.ok).toBe(true);
      expect(ok.detail).toBeTruthy();
      expect(ok.latencyMs).toBeGreaterThanOrEqual(0);
      const down = await build(department.registrationAt(await freePort())).adapter.check();
      expect(down).toMatchObject({ ok: false });
      expect(down.detail).toMatch(/connection refused/);
    });

    it('closes idempotently', async () => {
      const { adapter } = build(department.registration(5000));
      await adapter.close();
      await expect(adapter.close()).resolves.toBeUndefined();
    });
  });
}
