import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  let department: Server;
  let url = '';
  let open = 0;
  let most = 0;
  let seen = 0;

  beforeAll(async () => {
    // A department that takes 250 ms per dossier and counts how many it holds at once.
    department = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen++;
        most = Math.max(most, ++open);
        setTimeout(() => {
          open--;
          res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `R-${seen}` }));
        }, 250);
      });
    });
    await new Promise<void>((resolve) => department.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(department.address() as AddressInfo).port}`;
    t = await startTestRuntime({ env: { DELIVERY_CONCURRENCY: '12' } });
    expect((await t.api('PUT', `/v1/departments/${DEPT}`, restDepartment(url, ['2.001610']))).status).toBe(201);
  });
  afterAll(async () => {
    await t?.stop();
    await new Promise((resolve) => department?.close(resolve));
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
    await eventually(() => seen >= 24, 30_000);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);

    for (const s of held) s.destroy();
    await new Promise((r) => setTimeout(r, 400));
    most = 0;
    await send(101, 36);
    await eventually(() => seen >= 60, 30_000);
    expect(most).toBeGreaterThan(4);
    expect(most).toBeLessThanOrEqual(12);
  });
});
