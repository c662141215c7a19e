import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDepartmentServer } from '../helpers/department-server.js';
import { fixture, withCode } from '../helpers/fixtures.js';
import { ADMIN_KEY, eventually, restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

/**
 * `start` runs the gateway and the workers in one thread: while 8 or more
 * requests are in flight, each department's deliveries go at most 4 at a
 * time (the requests are answered first); once the burst is over they go at
 * the department's full concurrency (here DELIVERY_CONCURRENCY 12).
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

  it('delivers 4 at a time during the burst, then 12 at a time', async () => {
    const held = await holdRequests(8);
    await new Promise((r) => setTimeout(r, 400)); // the workers look every 100 ms
    await send(1, 24);
    await eventually(() => seen() >= 24, 30_000);
    expect(department.load.most).toBeGreaterThan(1);
    expect(department.load.most).toBeLessThanOrEqual(4);

    for (const s of held) s.destroy();
    await new Promise((r) => setTimeout(r, 400));
    department.load.most = 0;
    await send(101, 36);
    await eventually(() => seen() >= 60, 30_000);
    expect(department.load.most).toBeGreaterThan(4);
    expect(department.load.most).toBeLessThanOrEqual(12);
  });
});
