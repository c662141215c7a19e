import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDepartmentServer, type DepartmentServer } from '../helpers/department-server.js';
import { fixture, withCode } from '../helpers/fixtures.js';
import { eventually, restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { DeliveryStore } from '../../store/delivery-store.js';

describe('graceful shutdown', () => {
  let t: TestRuntime;
  let department: DepartmentServer;

  beforeAll(async () => {
    department = await startDepartmentServer(() => ({ status: 201, body: { id: 'DN-SLOW' }, delayMs: 1500 }));
    t = await startTestRuntime({ store: 'postgres' });
    expect((await t.api('PUT', '/v1/departments/000.00.15.H63', restDepartment(department.url, ['2.001610']))).status).toBe(201);
    await t.runtime.refreshDepartments();
  });
  afterAll(async () => {
    await t?.stop();
    await department?.close();
  });

  it('lets an in-flight delivery finish before the process stops', async () => {
    const dossier = withCode(fixture('business-registration'), 601);
    expect((await t.api('POST', '/v1/dossiers', dossier)).status).toBe(202);
    await eventually(() => department.received.length === 1);
    const deliveries = new DeliveryStore(t.runtime.db);
    const [before] = await deliveries.ofDossier(dossier.code);
    expect(before!.state).toBe('delivering');
    // The runtime does not own the test database, so it stays open after stop() for this check.
    await t.runtime.stop();
    const [after] = await deliveries.ofDossier(dossier.code);
    expect(after).toMatchObject({ state: 'delivered', attempts: 1 });
    expect((await t.runtime.services.dossiers.resource(dossier.code)).status).toBe('processing');
  });
});
