import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDepartmentServer, type DepartmentServer } from '../helpers/department-server.js';
import { fixture, withCode } from '../helpers/fixtures.js';
import { eventually, restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

/**
 * A document URL that fails is the center's problem, not the department's:
 * the dossiers spend their attempts, but the department's circuit stays
 * closed and its other dossiers keep going (real department server, real
 * document host answering 503, PostgreSQL, Redis).
 */
describe('the breaker ignores the center’s own failures (postgres)', () => {
  const DEPT = '000.00.15.H63';
  let t: TestRuntime;
  let department: DepartmentServer;
  let documentHost: DepartmentServer;
  let seq = 600;

  beforeAll(async () => {
    department = await startDepartmentServer((r) => ({ status: 201, body: { id: `DN-${String(r.headers['x-dossier-code']).slice(-3)}` } }));
    documentHost = await startDepartmentServer(() => ({ status: 503, body: { error: 'file store down' } }));
    t = await startTestRuntime({ store: 'postgres', env: { DELIVERY_ATTEMPTS: '2', DELIVERY_BACKOFF_MS: '20' } });
    const config = restDepartment(department.url, ['2.001610'], { delivery: { breaker: { failures: 2, probeMs: 60_000 } } });
    Object.assign(config.operations.submit, { documents: 'multipart' });
    expect((await t.api('PUT', `/v1/departments/${DEPT}`, config)).status).toBe(201);
    await t.runtime.refreshDepartments();
  });
  afterAll(async () => {
    await t?.stop();
    await department?.close();
    await documentHost?.close();
  });

  const submit = async (documentsFrom: string) => {
    const d = withCode(fixture('business-registration'), ++seq);
    d.documents = d.documents.map(({ sha256: _announced, ...doc }) => ({ ...doc, url: `${documentsFrom}/files/${doc.id}.pdf` }));
    expect((await t.api('POST', '/v1/dossiers', d)).status).toBe(202);
    return d.code;
  };

  it('three dossiers whose documents cannot be fetched fail (6 failed attempts), yet the circuit stays closed', async () => {
    const codes = [await submit(documentHost.url), await submit(documentHost.url), await submit(documentHost.url)];
    for (const code of codes) {
      const d = await eventually(async () => {
        const got = (await t.api('GET', `/v1/dossiers/${code}`)).body;
        return got.delivery.state === 'failed' && got;
      }, 20_000);
      expect(d.delivery).toMatchObject({ attempts: 2, lastError: expect.stringContaining('HTTP 503 fetching') });
    }
    // The document host was asked; the department never was, and its circuit is closed with no failure counted.
    expect(documentHost.received.length).toBeGreaterThanOrEqual(6);
    expect(department.received.filter((r) => r.method === 'POST')).toHaveLength(0);
    expect((await t.api('GET', `/v1/departments/${DEPT}`)).body.health).toMatchObject({ circuit: 'closed', consecutiveFailures: 0 });
  });
});
