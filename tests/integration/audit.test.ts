import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadSettings } from '../../core/config.js';
import { parseAnchors, verifyChain } from '../../core/audit/verify.js';
import { verifyAudit } from '../../runtime/audit-cli.js';
import { AuditStore, writeAudit } from '../../store/audit-store.js';
import { openPostgres } from '../../store/db.js';
import { startDepartmentServer, type DepartmentServer } from '../helpers/department-server.js';
import { TEST_DATABASE_URL } from '../helpers/db.js';
import { fixture, withCode } from '../helpers/fixtures.js';
import { eventually, restDepartment, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

/** The audit log on real PostgreSQL: written with each change, sealed in order, tampering caught by verify. */
describe('audit log (postgres)', () => {
  const DEPT = '000.00.15.H63';
  let t: TestRuntime;
  let department: DepartmentServer;
  let dir: string;
  let anchorFile: string;
  let schema: string;
  const base = fixture('business-registration');

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lt-audit-'));
    anchorFile = path.join(dir, 'anchors.jsonl');
    department = await startDepartmentServer(() => ({ status: 201, body: { id: 'DN-1' } }));
    // Sealing and anchoring are driven by the test (sealNow / anchorNow) rather than by the clock.
    t = await startTestRuntime({ store: 'postgres', env: { AUDIT_SEAL_EVERY_MS: '3600000', AUDIT_ANCHOR_FILE: anchorFile, AUDIT_ANCHOR_EVERY_MS: '86400000' } });
    const [row] = await t.runtime.db.query<{ schema: string }>('select current_schema() as schema');
    schema = row!.schema;
  });
  afterAll(async () => {
    await t?.stop();
    await department?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const verify = async () => verifyChain(new AuditStore(t.runtime.db).all(), parseAnchors(await readFile(anchorFile, 'utf8').catch(() => '')));
  /** `lienthong audit verify` in this process: its exit code and what it printed. */
  const cli = async () => {
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
    const err = vi.spyOn(console, 'error').mockImplementation((m: string) => void out.push(m));
    try {
      const settings = loadSettings({ DATABASE_URL: `${TEST_DATABASE_URL}?options=-c%20search_path%3D${schema}`, AUDIT_ANCHOR_FILE: anchorFile, LOG_LEVEL: 'silent' });
      return { code: await verifyAudit(settings), out: out.join('\n') };
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  };

  it('records each change with who, what and no personal data, sealed into a chain verify accepts', async () => {
    expect((await t.api('PUT', `/v1/departments/${DEPT}`, restDepartment(department.url, [base.procedure.code]))).status).toBe(201);
    await t.runtime.refreshDepartments();
    const key = await t.key('center', 'quay-1');
    const codes: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const d = withCode(base, 700 + i);
      expect((await t.api('POST', '/v1/dossiers', d, key)).status).toBe(202);
      codes.push(d.code);
    }
    for (const code of codes) await eventually(async () => (await t.api('GET', `/v1/dossiers/${code}`)).body.delivery.state === 'delivered');
    const keys = await t.api('POST', '/v1/api-keys', { role: 'portal', name: 'portal-1' });
    expect((await t.api('DELETE', `/v1/api-keys/${keys.body.id}`)).status).toBe(204);
    // Procedure and calendar changes.
    const procedure = { name: 'Thủ tục thử', processingTime: { value: 2, unit: 'working_days' }, fees: [], supplementPolicy: 'restart' };
    expect((await t.api('PUT', '/v1/procedures/9.000001', procedure)).status).toBe(201);
    expect((await t.api('DELETE', '/v1/procedures/9.000001')).status).toBe(204);
    expect((await t.api('PUT', '/v1/calendar/2027', { daysOff: ['2027-01-04'], workingDays: [] })).status).toBe(200);

    const before = await t.api('GET', '/v1/audit/head');
    expect(before.body.unsealed).toBeGreaterThan(0);
    await t.runtime.audit.sealNow();
    const head = await t.api('GET', '/v1/audit/head');
    expect(head.status).toBe(200);
    expect(head.body).toMatchObject({ unsealed: 0, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(head.body.seq).toBeGreaterThanOrEqual(before.body.unsealed);

    const ofDossier = await t.api('GET', `/v1/audit?subject=${encodeURIComponent(`dossier:${codes[0]}`)}`);
    expect(ofDossier.body.items.map((e: { action: string }) => e.action).reverse()).toEqual(['dossier.accepted', 'timeline.delivered']);
    expect(ofDossier.body.items.at(-1)).toMatchObject({ actor: { role: 'center', name: 'quay-1' }, detail: { department: DEPT, procedure: base.procedure.code, timeline: { seq: 1, type: 'received' } } });
    const actions = new Set((await t.api('GET', '/v1/audit?limit=500')).body.items.map((e: { action: string }) => e.action));
    for (const a of ['department.saved', 'key.created', 'key.revoked', 'dossier.accepted', 'timeline.delivered', 'procedure.saved', 'procedure.deleted', 'calendar.saved']) expect(actions).toContain(a);
    const procedureEntries = (await t.api('GET', '/v1/audit?subject=procedure:9.000001')).body.items;
    expect(procedureEntries.map((e: { action: string }) => e.action)).toEqual(['procedure.deleted', 'procedure.saved']);
    expect(procedureEntries[1]).toMatchObject({ actor: { role: 'admin' }, detail: { created: true } });
    expect((await t.api('GET', '/v1/audit?subject=calendar:2027')).body.items).toEqual([
      expect.objectContaining({ action: 'calendar.saved', detail: { daysOff: ['2027-01-04'], workingDays: [] } }),
    ]);
    const page = await t.api('GET', '/v1/audit?limit=2&action=dossier.accepted');
    const next = await t.api('GET', `/v1/audit?limit=2&action=dossier.accepted&cursor=${page.body.nextCursor}`);
    expect([...page.body.items, ...next.body.items].map((e: { subject: string }) => e.subject)).toEqual(codes.map((c) => `dossier:${c}`).reverse());
    expect((await t.api('GET', '/v1/audit', undefined, key)).status).toBe(403);
    expect((await t.api('GET', '/v1/audit?since=yesterday')).status).toBe(422);

    const all = JSON.stringify((await t.api('GET', '/v1/audit?limit=500')).body);
    for (const secret of [base.applicant.idNumber, base.applicant.phone, base.applicant.name, base.applicant.address].filter(Boolean)) expect(all).not.toContain(secret);

    await t.runtime.audit.anchorNow();
    expect(parseAnchors(await readFile(anchorFile, 'utf8'))).toEqual([expect.objectContaining({ seq: head.body.seq, hash: head.body.hash })]);
    expect(await verify()).toMatchObject({ ok: true, verified: head.body.seq, anchors: 1 });
    const ok = await cli();
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(`${head.body.seq} entries verified`);
  });

  it('catches an edited entry, naming its seq', async () => {
    const q = t.runtime.db;
    const [row] = await q.query<{ detail: unknown }>('select detail from audit_log where seq = 3');
    await q.query(`update audit_log set detail = detail || '{"version": 99}' where seq = 3`);
    expect(await verify()).toMatchObject({ ok: false, badSeq: 3 });
    const bad = await cli();
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('seq 3');
    await q.query('update audit_log set detail = $1 where seq = 3', [JSON.stringify(row!.detail)]);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('catches a deleted entry (the next seq no longer follows) and an inserted one', async () => {
    const q = t.runtime.db;
    const [row] = await q.query<Record<string, unknown>>('select * from audit_log where seq = 4');
    await q.query('delete from audit_log where seq = 4');
    expect(await verify()).toMatchObject({ ok: false, badSeq: 5 });
    expect((await cli()).code).toBe(1);
    await q.query('insert into audit_log (seq, at, actor, action, subject, detail, hash) values ($1, $2, $3, $4, $5, $6, $7)', [
      row!.seq, row!.at, JSON.stringify(row!.actor), row!.action, row!.subject, JSON.stringify(row!.detail), row!.hash,
    ]);
    expect(await verify()).toMatchObject({ ok: true });

    // A forged entry slipped into the chain with a made-up hash.
    const [{ seq } = { seq: 0 }] = await q.query<{ seq: number }>('select max(seq)::int as seq from audit_log');
    await q.query(`insert into audit_log (seq, actor, action, subject, detail, hash) values ($1, '{"role":"admin"}', 'key.created', 'key:x', '{}', $2)`, [seq + 1, 'f'.repeat(64)]);
    expect(await verify()).toMatchObject({ ok: false, badSeq: seq + 1 });
    await q.query('delete from audit_log where seq = $1', [seq + 1]);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('catches a cut tail through the anchored head', async () => {
    const q = t.runtime.db;
    const [{ seq } = { seq: 0 }] = await q.query<{ seq: number }>('select max(seq)::int as seq from audit_log where hash is not null');
    await q.query('delete from audit_log where seq >= $1', [seq - 1]);
    // The chain left is consistent in itself: only the anchor shows that it lost its end.
    expect(await verifyChain(new AuditStore(t.runtime.db).all())).toMatchObject({ ok: true });
    expect(await verify()).toMatchObject({ ok: false, badSeq: seq });
    const bad = await cli();
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(new RegExp(`seq ${seq}: anchored .* the tail was cut`));
  });

  it('seals in place: the rows of a batch keep their page (heap-only updates, no new index entries)', async () => {
    const db = t.runtime.db;
    // 1,000 entries the size of a delivery's timeline entry, written as accepts and deliveries write them.
    const rows = await db.query<{ seq: string; block: string }>(
      `insert into audit_log (actor, action, subject, detail)
       select '{"role":"department","department":"000.00.15.H63"}'::jsonb, 'timeline.delivered', 'dossier:000.00.15.H63-261201-' || lpad(i::text, 4, '0'),
         jsonb_build_object('seq', 2, 'type', 'delivered', 'status', 'processing', 'deliveryId', 100000 + i, 'operation', 'submit', 'attempt', 1,
           'configVersion', 3, 'latencyMs', 12, 'httpStatus', 201, 'reference', 'REF-000.00.15.H63-261201-' || lpad(i::text, 4, '0'))
       from generate_series(1, 1000) i
       returning seq, (ctid::text::point)[0] as block`,
    );
    // In batches of 1,000, as the sealer does (past the gaps the tampering tests above left).
    const store = new AuditStore(db);
    while ((await store.seal({ gapGraceMs: 0 })) > 0);
    const after = new Map((await db.query<{ seq: string; block: string; hash: string | null }>(
      `select seq, (ctid::text::point)[0] as block, hash from audit_log where seq = any($1::bigint[])`,
      [rows.map((r) => r.seq)],
    )).map((r) => [String(r.seq), r]));
    expect(after.size).toBe(rows.length);
    expect([...after.values()].every((r) => r.hash)).toBe(true);
    const inPlace = rows.filter((r) => String(after.get(String(r.seq))?.block) === String(r.block)).length;
    // Fillfactor 50 (migration 009): about 89 % in a benchmark; at 80, a quarter.
    expect(inPlace / rows.length).toBeGreaterThan(0.75);
  });

  it('seals in order with two sealers at once, and goes past a rolled-back entry only once it is old', async () => {
    const other = openPostgres(TEST_DATABASE_URL, { schema, max: 2 });
    try {
      const a = new AuditStore(t.runtime.db);
      const b = new AuditStore(other);
      await t.runtime.db.query('truncate audit_log restart identity');
      for (let i = 0; i < 50; i++) await writeAudit(t.runtime.db, { actor: { role: 'system' }, action: 'test.entry', subject: `test:${i}`, detail: { i } });
      await t.runtime.db.tx(async (tx) => {
        await writeAudit(tx, { actor: { role: 'system' }, action: 'test.rolled_back', subject: 'test:x' });
        throw new Error('roll back');
      }).catch(() => {});
      await writeAudit(t.runtime.db, { actor: { role: 'system' }, action: 'test.after_gap', subject: 'test:y' });
      const sealed = await Promise.all([a.seal({ batch: 7 }), b.seal({ batch: 7 }), a.seal({ batch: 100 }), b.seal({ batch: 100 })]);
      expect(sealed.reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
      while ((await a.seal()) > 0);
      // The entry after the gap waits: the missing seq might still commit.
      expect((await a.head()).unsealed).toBe(1);
      expect(await a.seal({ gapGraceMs: 0 })).toBe(1);
      expect(await verifyChain(a.all())).toMatchObject({ ok: true, verified: 51, unsealed: 0 });
    } finally {
      await other.close();
    }
  });
});
