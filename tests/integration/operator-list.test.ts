import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDepartmentServer, type DepartmentServer } from '../helpers/department-server.js';
import { STORE_KINDS } from '../helpers/db.js';
import { fixture, withCode } from '../helpers/fixtures.js';
import { eventually, restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

/** The operator's work list tells the truth: delivery summaries on list items, lastError cleared, no retry to a disabled department. */
describe.each(STORE_KINDS)('the operator\'s list (%s)', (store) => {
  const DEPT = '000.00.15.H63';
  let t: TestRuntime;
  let dept: DepartmentServer;
  const base = fixture('business-registration');

  beforeAll(async () => {
    // Refuses at first (a permanent 400), until the test fixes it.
    dept = await startDepartmentServer(() => ({ status: 400, body: { loi: 'Thiếu mã ngành nghề' } }));
    t = await startTestRuntime({ store });
    expect((await t.api('PUT', `/v1/departments/${DEPT}`, restDepartment(dept.url, [base.procedure.code]))).status).toBe(201);
    await t.runtime.refreshDepartments();
  });
  afterAll(async () => {
    await t?.stop();
    await dept?.close();
  });

  const get = async (code: string) => (await t.api('GET', `/v1/dossiers/${code}`)).body;
  const failed = (code: string) => eventually(async () => ((await get(code)).delivery?.state === 'failed' ? get(code) : undefined));

  it('gives list items the same delivery summary as the single resource; lastError is cleared once a retry succeeds, the failure stays on the timeline', async () => {
    const dossier = withCode(base, 71);
    expect((await t.api('POST', '/v1/dossiers', dossier)).status).toBe(202);
    const single = await failed(dossier.code);
    expect(single.delivery).toMatchObject({ state: 'failed', attempts: 1, lastError: expect.stringContaining('HTTP 400') });

    const list = await t.api('GET', '/v1/dossiers?deliveryState=failed');
    expect(list.status).toBe(200);
    const item = list.body.items.find((d: { code: string }) => d.code === dossier.code);
    expect(item.delivery).toEqual(single.delivery);
    for (const d of list.body.items) expect(d.delivery, d.code).not.toBeNull();
    const all = await t.api('GET', '/v1/dossiers');
    expect(all.body.items.find((d: { code: string }) => d.code === dossier.code).delivery).toEqual(single.delivery);

    dept.setReply(() => ({ status: 201, body: { id: 'DN-71' } }));
    expect((await t.api('POST', `/v1/dossiers/${dossier.code}/retry`)).status).toBe(202);
    const delivered = await eventually(async () => ((await get(dossier.code)).delivery.state === 'delivered' ? get(dossier.code) : undefined));
    expect(delivered.delivery).toMatchObject({ state: 'delivered', reference: 'DN-71', lastError: null });
    expect(delivered.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['delivery_failed', 'delivery_retried', 'delivered']));
    const listed = (await t.api('GET', `/v1/dossiers?department=${DEPT}`)).body.items.find((d: { code: string }) => d.code === dossier.code);
    expect(listed.delivery).toEqual(delivered.delivery);
    expect((await t.api('GET', '/v1/dossiers?deliveryState=failed')).body.items.map((d: { code: string }) => d.code)).not.toContain(dossier.code);
  });

  it('refuses a retry towards a disabled department (409, with the reason) and sends nothing', async () => {
    dept.setReply(() => ({ status: 400, body: { loi: 'Hệ thống bảo trì' } }));
    const dossier = withCode(base, 72);
    expect((await t.api('POST', '/v1/dossiers', dossier)).status).toBe(202);
    const before = await failed(dossier.code);
    const sent = dept.received.length;

    expect((await t.api('DELETE', `/v1/departments/${DEPT}`)).status).toBe(204);
    dept.setReply(() => ({ status: 201, body: { id: 'DN-72' } }));
    const refused = await t.api('POST', `/v1/dossiers/${dossier.code}/retry`);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.detail).toMatch(new RegExp(`department ${DEPT.replaceAll('.', '\\.')} is disabled`));
    // Nothing was queued: the delivery is still failed with its attempts, and no retry is on the timeline.
    const after = await get(dossier.code);
    expect(after.delivery).toEqual(before.delivery);
    expect(after.events.map((e: { type: string }) => e.type)).not.toContain('delivery_retried');
    expect(dept.received.length).toBe(sent);
  });
});
