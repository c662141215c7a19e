import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DepartmentConfig } from '../../core/model/department.js';
import type { Db } from '../../store/db.js';
import { DeliveryStore } from '../../store/delivery-store.js';
import { DepartmentStore } from '../../store/department-store.js';
import { DossierStore } from '../../store/dossier-store.js';
import { KeyStore } from '../../store/key-store.js';
import { countingDb } from '../../store/counting-db.js';
import { migrate } from '../../store/migrate.js';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { openTestDb, STORE_KINDS } from '../helpers/db.js';
import { ROOT } from '../helpers/paths.js';
import { fixture, withCode } from '../helpers/fixtures.js';

/** The same store suite on PGlite and on PostgreSQL: same SQL, same migrations. */
describe.each(STORE_KINDS)('store (%s)', (kind) => {
  let db: Db;
  let drop: () => Promise<void>;
  let dossiers: DossierStore;
  let deliveries: DeliveryStore;
  let departments: DepartmentStore;
  const config = (procedures: string[]): DepartmentConfig => ({
    name: 'Sở Tư pháp',
    procedures,
    transport: { type: 'rest', baseUrl: 'http://127.0.0.1:1' },
    operations: { submit: {} },
    statusMap: {},
    enabled: true,
  });

  beforeAll(async () => {
    ({ db, drop } = await openTestDb(kind));
    const all = (await readdir(path.join(ROOT, 'store/migrations'))).filter((f) => f.endsWith('.sql')).sort();
    expect(await migrate(db)).toEqual(all);
    dossiers = new DossierStore(db);
    deliveries = new DeliveryStore(db);
    departments = new DepartmentStore(db);
    await departments.save('000.00.16.H63', config(['1.001193']), 'test');
  });
  afterAll(() => drop());

  it('migrates once, and a second run (or process) applies nothing', async () => {
    expect(await Promise.all([migrate(db), migrate(db)])).toEqual([[], []]);
  });

  it('keeps every department version and routes by exact or national procedure code', async () => {
    const first = await departments.save('000.00.17.H63', config(['1.004227']), 'admin:a');
    expect(first).toMatchObject({ created: true, department: { version: 1 } });
    const second = await departments.save('000.00.17.H63', config(['1.004227', '2.000488']), 'admin:b');
    expect(second).toMatchObject({ created: false, department: { version: 2 } });
    expect((await departments.versions('000.00.17.H63')).map((v) => [v.version, v.changedBy])).toEqual([[2, 'admin:b'], [1, 'admin:a']]);
    expect((await departments.version('000.00.17.H63', 1))?.procedures).toEqual(['1.004227']);
    expect((await departments.route('2.000488.000.00.00.H63', '2.000488'))?.id).toBe('000.00.17.H63');
    expect(await departments.routedElsewhere('000.00.18.H63', ['2.000488', '9.000000'])).toEqual([{ procedure: '2.000488', department: '000.00.17.H63' }]);
    expect(await departments.disable('000.00.17.H63', 'admin:a')).toBe(true);
    expect((await departments.get('000.00.17.H63'))?.enabled).toBe(false);
  });

  it('accepts a dossier, its first timeline entry and its pending delivery together; a second accept writes nothing', async () => {
    const dossier = withCode(fixture('birth-registration'), 11);
    const input = {
      dossier,
      departmentId: '000.00.16.H63',
      status: 'received' as const,
      contentHash: 'h1',
      entry: { type: 'received', status: 'received' as const, actor: 'center:q1' },
      delivery: { departmentId: '000.00.16.H63', operation: 'submit' as const, configVersion: 1, idempotencyKey: `${dossier.code}:submit` },
    };
    const first = await dossiers.accept(input);
    expect(first.created).toBe(true);
    const again = await dossiers.accept({ ...input, contentHash: 'h2' });
    expect(again).toMatchObject({ created: false, existing: { code: dossier.code, contentHash: 'h1' } });
    expect(await dossiers.timeline(dossier.code)).toHaveLength(1);
    const ds = await deliveries.ofDossier(dossier.code);
    expect(ds).toMatchObject([{ state: 'pending', attempts: 0, operation: 'submit', configVersion: 1 }]);
    const row = await dossiers.get(dossier.code);
    expect(row?.content).toEqual(dossier);
    expect(row?.createdAt).toMatch(/Z$/);

    // A failure inside the transaction leaves nothing behind.
    const broken = withCode(dossier, 12);
    await expect(dossiers.accept({ ...input, dossier: broken, delivery: { ...input.delivery, idempotencyKey: `${dossier.code}:submit` } })).rejects.toThrow();
    expect(await dossiers.get(broken.code)).toBeUndefined();
  });

  it('writes accepts that arrive together as one statement, each dossier all or nothing, a bad one failing alone', async () => {
    const input = (n: number, over: Partial<Parameters<DossierStore['accept']>[0]> = {}) => {
      const dossier = withCode(fixture('birth-registration'), n);
      return {
        dossier,
        departmentId: '000.00.16.H63',
        status: 'received' as const,
        contentHash: `h${n}`,
        entry: { type: 'received', status: 'received' as const, actor: 'center:q1', detail: { n } },
        delivery: { departmentId: '000.00.16.H63', operation: 'submit' as const, configVersion: 1, idempotencyKey: `${dossier.code}:submit` },
        routedBy: { version: 1, procedure: { code: '1.001193', baseCode: '1.001193' } },
        ...over,
      };
    };
    const before = Number((await db.query<{ n: number }>('select count(*)::int as n from audit_log'))[0]!.n);
    const bad = input(105);
    const results = await Promise.all([
      dossiers.accept(input(101)),
      dossiers.accept(input(102)),
      dossiers.accept(input(102, { contentHash: 'other' })), // the same code at the same moment: written after the first, finds it
      dossiers.accept(input(103, { routedBy: { version: 7 } })), // routed from a version that is gone
      dossiers.accept(input(104, { routedBy: { version: 1, procedure: { code: '9.999999', baseCode: '9.999999' } } })), // no longer this procedure's department
      // PostgreSQL refuses \u0000 in jsonb: this statement fails, so the others are written again without it.
      dossiers.accept({ ...bad, dossier: { ...bad.dossier, applicant: { ...bad.dossier.applicant, name: 'A\u0000' } } }).catch((e: Error) => e),
      dossiers.accept(input(106, { routedBy: undefined })),
    ]);
    expect(results.map((r) => (r instanceof Error ? 'error' : 'stale' in r ? 'stale' : r.created ? 'created' : 'existing'))).toEqual([
      'created', 'created', 'existing', 'stale', 'stale', 'error', 'created',
    ]);
    expect(results[2]).toMatchObject({ existing: { code: withCode(fixture('birth-registration'), 102).code, contentHash: 'h102' } });
    for (const n of [101, 102, 106]) {
      const code = withCode(fixture('birth-registration'), n).code;
      expect(await dossiers.timeline(code)).toMatchObject([{ seq: 1, detail: { n } }]);
      expect(await deliveries.ofDossier(code)).toMatchObject([{ state: 'pending', idempotencyKey: `${code}:submit` }]);
      const created = results[[101, 102, 106].indexOf(n) === 2 ? 6 : n - 101] as { deliveryId: number; row: { code: string } };
      expect(created.row.code).toBe(code);
      expect((await deliveries.ofDossier(code))[0]!.id).toBe(created.deliveryId);
    }
    for (const n of [103, 104, 105]) expect(await dossiers.get(withCode(fixture('birth-registration'), n).code)).toBeUndefined();
    const audit = await db.query<{ subject: string }>(`select subject from audit_log where action = 'dossier.accepted' order by seq desc limit 3`);
    expect(audit.map((a) => a.subject).sort()).toEqual([101, 102, 106].map((n) => `dossier:${withCode(fixture('birth-registration'), n).code}`).sort());
    expect(Number((await db.query<{ n: number }>('select count(*)::int as n from audit_log'))[0]!.n)).toBe(before + 3);
  });

  it('claims attempts, settles them, and finds stale open deliveries for the sweeper', async () => {
    const dossier = withCode(fixture('birth-registration'), 13);
    const { deliveryId } = (await dossiers.accept({
      dossier,
      departmentId: '000.00.16.H63',
      status: 'received',
      contentHash: 'x',
      entry: { type: 'received', status: 'received', actor: 't' },
      delivery: { departmentId: '000.00.16.H63', operation: 'submit', configVersion: 1, idempotencyKey: `${dossier.code}:submit` },
    })) as { deliveryId: number };
    expect((await deliveries.stale(await deliveries.cutoff(0), 100)).map((d) => d.id)).toContain(deliveryId);
    expect((await deliveries.stale(await deliveries.cutoff(60_000), 100)).map((d) => d.id)).not.toContain(deliveryId);
    // A held department (circuit open, paused) is passed over by the sweeper.
    expect((await deliveries.stale(await deliveries.cutoff(0), 100, ['000.00.16.H63'])).map((d) => d.id)).not.toContain(deliveryId);
    expect((await deliveries.stale(await deliveries.cutoff(0), 100, ['000.00.99.H63'])).map((d) => d.id)).toContain(deliveryId);
    // Page by page (the sweeper's cursor) gives every row once, in the same order as one page.
    const cutoff = await deliveries.cutoff(0);
    const whole = (await deliveries.stale(cutoff, 1000)).map((d) => d.id);
    const paged: number[] = [];
    for (let page = await deliveries.stale(cutoff, 1); page.length; page = await deliveries.stale(cutoff, 1, [], page.at(-1))) paged.push(...page.map((d) => d.id));
    expect(whole.length).toBeGreaterThan(1);
    expect(paged).toEqual(whole);
    expect(await dossiers.startDelivery(deliveryId)).toMatchObject({ state: 'delivering', attempts: 1, dossier: { code: dossier.code } });
    await db.tx((q) => deliveries.setState(q, deliveryId, 'delivered'));
    expect(await dossiers.startDelivery(deliveryId)).toBeUndefined();
    expect((await deliveries.get(deliveryId))?.deliveredAt).toBeTruthy();
  });

  it('appends to the timeline in order, refusing a second entry with the same identity', async () => {
    const code = withCode(fixture('birth-registration'), 11).code;
    await db.tx(async (q) => {
      await dossiers.lock(q, code);
      await dossiers.append(q, code, { type: 'status_changed', status: 'processing', actor: 'd', identity: 'abc', reference: 'R-1', results: [{ name: 'kq', url: 'http://x/kq.pdf' }] });
    });
    await expect(db.tx((q) => dossiers.append(q, code, { type: 'progress', status: 'processing', actor: 'd', identity: 'abc' }))).rejects.toThrow();
    const timeline = await dossiers.timeline(code);
    expect(timeline.map((e) => e.seq)).toEqual([1, 2]);
    const row = await dossiers.get(code);
    expect(row).toMatchObject({ status: 'processing', reference: 'R-1', results: [{ name: 'kq' }] });
    expect((await dossiers.byReference('000.00.16.H63', 'R-1'))?.code).toBe(code);
    expect(await db.tx((q) => dossiers.findByIdentity(q, code, 'abc'))).toMatchObject({ seq: 2 });
  });

  it('lists newest first with a cursor and filters', async () => {
    const page1 = await dossiers.list({ limit: 1 });
    const page2 = await dossiers.list({ limit: 10, cursor: page1[0]!.id });
    expect(page1[0]!.id).toBeGreaterThan(page2[0]!.id);
    expect((await dossiers.list({ limit: 10, status: 'processing' })).map((d) => d.status)).toEqual(['processing']);
    expect((await dossiers.list({ limit: 10, deliveryState: 'delivered' })).length).toBe(1);
  });

  it('records deliveries that end together in one statement, each only if its dossier is still as decided', async () => {
    const code = (n: number) => withCode(fixture('birth-registration'), n).code;
    const deliveryOf = async (n: number) => (await deliveries.ofDossier(code(n)))[0]!.id;
    const entry = (reference: string) => ({ type: 'delivered', status: 'processing' as const, actor: 'department:000.00.16.H63', reference, detail: { latencyMs: 3 } });
    const [a, b, stale] = await Promise.all([
      dossiers.delivered(code(101), 'received', entry('R-101'), await deliveryOf(101)),
      dossiers.delivered(code(102), 'received', entry('R-102'), await deliveryOf(102)),
      dossiers.delivered(code(106), 'processing', entry('R-106'), await deliveryOf(106)), // decided from a status it no longer has
    ]);
    expect([a, b, stale]).toEqual([2, 2, undefined]);
    for (const n of [101, 102]) {
      expect(await dossiers.get(code(n))).toMatchObject({ status: 'processing', reference: `R-${n}` });
      expect((await dossiers.timeline(code(n))).map((e) => [e.seq, e.type])).toEqual([[1, 'received'], [2, 'delivered']]);
      expect((await deliveries.ofDossier(code(n)))[0]).toMatchObject({ state: 'delivered' });
      const [audit] = await db.query<{ detail: { seq: number } }>(`select detail from audit_log where subject = $1 and action = 'timeline.delivered'`, [`dossier:${code(n)}`]);
      expect(audit?.detail.seq).toBe(2);
    }
    expect(await dossiers.get(code(106))).toMatchObject({ status: 'received', reference: null });
    expect(await dossiers.timeline(code(106))).toHaveLength(1);
    expect((await deliveries.ofDossier(code(106)))[0]).toMatchObject({ state: 'pending' });
  });

  it('starts deliveries asked for together in one statement, each with its dossier; a closed one gets nothing', async () => {
    const counted = countingDb(db);
    const starting = new DossierStore(counted);
    const open = [211, 212].map((n) => withCode(fixture('birth-registration'), n));
    for (const dossier of open) {
      await dossiers.accept({
        dossier, departmentId: '000.00.16.H63', status: 'received', contentHash: `h${dossier.code}`,
        entry: { type: 'received', status: 'received', actor: 'center:q1' },
        delivery: { departmentId: '000.00.16.H63', operation: 'submit', configVersion: 1, idempotencyKey: `${dossier.code}:submit` },
      });
    }
    const ids = await Promise.all(open.map(async (d) => (await deliveries.ofDossier(d.code))[0]!.id));
    const closed = (await deliveries.ofDossier(withCode(fixture('birth-registration'), 101).code))[0]!; // delivered above
    expect(closed.state).toBe('delivered');
    counted.reset();
    const [a, b, none] = await Promise.all([starting.startDelivery(ids[0]!), starting.startDelivery(ids[1]!), starting.startDelivery(closed.id)]);
    expect(counted.counts.statements).toBe(1);
    expect(none).toBeUndefined();
    expect(a).toMatchObject({ id: ids[0], state: 'delivering', attempts: 1, dossierCode: open[0]!.code, dossier: { code: open[0]!.code, status: 'received', content: open[0] } });
    expect(b).toMatchObject({ id: ids[1], state: 'delivering', attempts: 1, dossierCode: open[1]!.code, dossier: { code: open[1]!.code, content: open[1] } });
    expect(await starting.startDelivery(ids[0]!)).toMatchObject({ attempts: 2 });
  });

  it('stores API keys by hash and revokes them', async () => {
    const keys = new KeyStore(db);
    await keys.insert({ id: 'k1', role: 'center', departmentId: null, name: 'q1' }, 'hash-1');
    expect(await keys.byHash('hash-1')).toEqual({ id: 'k1', role: 'center', departmentId: null, name: 'q1' });
    expect(await keys.revoke('k1')).toBe(true);
    expect(await keys.byHash('hash-1')).toBeUndefined();
    expect(await keys.revoke('k1')).toBe(false);
  });

  it('a key revoked by another process stops working within a second (cached lookups expire)', async () => {
    const here = new KeyStore(db);
    const elsewhere = new KeyStore(db); // another gateway on the same database
    await here.insert({ id: 'k2', role: 'center', departmentId: null, name: 'q2' }, 'hash-2');
    expect(await here.byHash('hash-2')).toBeDefined();
    const revokedAt = performance.now();
    expect(await elsewhere.revoke('k2')).toBe(true);
    expect(await elsewhere.byHash('hash-2')).toBeUndefined(); // the revoking process: at once
    for (;;) {
      if ((await here.byHash('hash-2')) === undefined) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(performance.now() - revokedAt).toBeLessThanOrEqual(1000 + 100);
  });
});
