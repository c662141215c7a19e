import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDepartmentServer } from '../helpers/department-server.js';
import { fixture, withCode } from '../helpers/fixtures.js';
import { ADMIN_KEY, eventually, restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

/**
 * `start` runs the gateway and the workers in one thread: while 8 or more
 * requests are in flight *and* the thread had no time to spare (90 % of the
 * last 100 ms), each department's deliveries go at most 4 at a time (the
 * requests are answered first); otherwise they go at the department's full
 * concurrency (here DELIVERY_CONCURRENCY 12). Requests that only wait on the
 * network hold nothing back.
 */
describe('the workers of start give way to a burst of requests', () => {
  const DEPT = '000.00.21.H63';
  let t: TestRuntime;
  let department: Awaited<ReturnType<typeof startDepartmentServer>>;
  const seen = () => department.received.length;

  beforeAll(async () => {
    // A department that takes 250 ms per dossier; it counts how many it holds at once (`load`).
    department = await startDepartmentServer((_, n) => ({ status: 201, body: { id: `R-${n}` }, delayMs: 250 }));
    t = await startTestRuntime({ env: { DELIVERY_CONCURRENCY: '12' } });
    expect((await t.api('PUT', `/v1/departments/${DEPT}`, restDepartment(department.url, ['2.001610']))).status).toBe(201);
  });
  afterAll(async () => {
    await t?.stop();
    await department?.close();
  });

  /** Requests whose bodies never finish arriving: each stays in flight until its socket is closed. */
  async function holdRequests(n: number): Promise<Socket[]> {
    const port = t.runtime.port!;
    return Promise.all(
      Array.from({ length: n }, () => new Promise<Socket>((resolve, reject) => {
        const s = connect(port, '127.0.0.1', () => {
          s.write(`POST /v1/dossiers HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${ADMIN_KEY}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{`);
          resolve(s);
        });
        s.on('error', reject);
      })),
    );
  }

  async function send(from: number, count: number) {
    const base = fixture('business-registration');
    const statuses = await Promise.all(Array.from({ length: count }, (_, i) => t.api('POST', '/v1/dossiers', withCode(base, from + i)).then((r) => r.status)));
    expect(new Set(statuses)).toEqual(new Set([202]));
  }

  /** Keep this thread (the runtime's) running 19 ms of every 20 until stopped. */
  function keepThreadBusy(): () => void {
    const timer = setInterval(() => {
      const end = performance.now() + 19;
      while (performance.now() < end);
    }, 20);
    return () => clearInterval(timer);
  }

  /** Send `count` dossiers from `from`, wait until the department has them all; the most it held at once. */
  async function deliverAndMeasure(from: number, count: number): Promise<number> {
    department.load.most = 0;
    const before = seen();
    await send(from, count);
    await eventually(() => seen() >= before + count, 30_000);
    return department.load.most;
  }

  it('gives way only while requests wait and the thread is full', async () => {
    const held = await holdRequests(8);
    try {
      await new Promise((r) => setTimeout(r, 300)); // the workers look every 100 ms
      // 8 requests in flight that wait on the network: the thread has time to spare, deliveries go 12 at a time.
      const idleHeld = await deliverAndMeasure(1, 24);
      expect(idleHeld).toBeGreaterThan(4);
      expect(idleHeld).toBeLessThanOrEqual(12);

      // The same requests in flight with the thread busy: 4 at a time.
      const stop = keepThreadBusy();
      try {
        await new Promise((r) => setTimeout(r, 300));
        const busy = await deliverAndMeasure(101, 24);
        expect(busy).toBeGreaterThan(1);
        expect(busy).toBeLessThanOrEqual(4);
      } finally {
        stop();
      }
    } finally {
      for (const s of held) s.destroy();
    }

    // The burst is over: full concurrency again.
    await new Promise((r) => setTimeout(r, 300));
    const after = await deliverAndMeasure(201, 36);
    expect(after).toBeGreaterThan(4);
    expect(after).toBeLessThanOrEqual(12);
  });
});
