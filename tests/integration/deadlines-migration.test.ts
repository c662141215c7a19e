import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadlineConfig } from '../../core/deadlines/deadline-config.js';
import { silentLogger } from '../../core/logger.js';
import type { CoreContext } from '../../core/use-cases/context.js';
import { ProcedureService } from '../../core/use-cases/procedures.js';
import type { Db } from '../../store/db.js';
import { DeadlineStore } from '../../store/deadline-store.js';
import { DossierStore } from '../../store/dossier-store.js';
import { migrate, splitStatements } from '../../store/migrate.js';
import { openTestDb } from '../helpers/db.js';
import { fixture, withCode } from '../helpers/fixtures.js';
import { ROOT } from '../helpers/paths.js';

/**
 * Dossiers stored before deadlines existed (migrations 001–003 only) get
 * their deadline columns from migration 004, and a computed due date from
 * the catalog afterwards.
 */
describe('migration 004 on dossiers accepted before it (PostgreSQL)', () => {
  let db: Db;
  let drop: () => Promise<void>;
  const code = (n: number) => withCode(fixture('business-registration'), n).code;

  async function oldDossier(n: number, status: string, dueAt: string | undefined, events: Array<[string, string, Record<string, unknown>?]>) {
    const d = withCode(fixture('business-registration'), n);
    if (dueAt) d.dueAt = dueAt;
    else delete d.dueAt;
    await db.query(
      `insert into dossiers (code, department_id, procedure_code, status, content, content_hash, event_seq) values ($1, '000.00.15.H63', $2, $3, $4, 'h', $5)`,
      [d.code, d.procedure.code, status, JSON.stringify(d), events.length],
    );
    let seq = 0;
    for (const [type, s, detail] of events) {
      await db.query(`insert into dossier_events (dossier_code, seq, type, status, actor, detail) values ($1, $2, $3, $4, 'test', $5)`, [d.code, ++seq, type, s, detail ? JSON.stringify(detail) : null]);
    }
  }

  beforeAll(async () => {
    ({ db, drop } = await openTestDb('postgres'));
    await db.exec('create table schema_migrations (name text primary key, applied_at timestamptz not null default now())');
    for (const name of ['001-init.sql', '002-portal.sql', '003-documents.sql']) {
      for (const s of splitStatements(await readFile(path.join(ROOT, 'store/migrations', name), 'utf8'))) await db.query(s);
      await db.query('insert into schema_migrations (name) values ($1)', [name]);
    }
    await oldDossier(1, 'processing', '2026-11-20T17:00:00+07:00', [['received', 'received'], ['delivered', 'processing']]);
    await oldDossier(2, 'resolved', undefined, [['received', 'received'], ['status_changed', 'resolved', { occurredAt: '2026-11-04T15:00:00+07:00' }]]);
    await oldDossier(3, 'supplement_requested', undefined, [['received', 'received'], ['status_changed', 'processing'], ['status_changed', 'supplement_requested', { occurredAt: '2026-11-03T10:00:00+07:00' }], ['delivery_retried', 'supplement_requested']]);
    await oldDossier(4, 'supplement_requested', undefined, [['received', 'received'], ['status_changed', 'supplement_requested'], ['supplement_sent', 'supplement_requested']]);
    await oldDossier(5, 'withdrawn', undefined, [['received', 'received'], ['withdrawn', 'withdrawn', { occurredAt: '2026-11-03T09:00:00+07:00' }]]);
    expect(await migrate(db)).toContain('004-deadlines.sql');
  }, 60_000);
  afterAll(() => drop?.());

  const row = async (n: number) => (await new DossierStore(db).get(code(n)))!;

  it('fills the columns from the stored content and timeline', async () => {
    expect(await row(1)).toMatchObject({ receivedAt: '2026-11-28T02:15:00.000Z', dueAt: '2026-11-20T10:00:00.000Z', source: 'center', doneAt: null, pausedSince: null });
    expect(await row(2)).toMatchObject({ dueAt: null, source: null, doneAt: '2026-11-04T08:00:00.000Z' });
    expect(await row(3)).toMatchObject({ pausedSince: '2026-11-03T03:00:00.000Z' });
    expect((await row(4)).pausedSince).toBeNull();
    expect(await row(5)).toMatchObject({ closedAt: '2026-11-03T02:00:00.000Z' });
  });

  it('computes due dates from the catalog afterwards, only for dossiers without one', async () => {
    const store = new DeadlineStore(db);
    const deadlines = new DeadlineConfig(store, { workingHours: '07:30-11:30,13:00-17:00' });
    const ctx = { deadlineStore: store, deadlines, dossiers: new DossierStore(db), logger: silentLogger } as unknown as CoreContext;
    const service = new ProcedureService(ctx);
    expect(await service.backfill()).toBe(0);
    await store.putProcedure('2.001610', { name: 'Đăng ký thành lập doanh nghiệp tư nhân', processingTime: { value: 3, unit: 'working_days' }, fees: [], supplementPolicy: 'restart' }, { actor: { role: 'admin', name: 'test' }, label: 'admin:test' });
    await deadlines.changed();
    expect(await service.backfill()).toBe(4);
    // Received Sat 28/11 09:15 (fixture): three working days from Mon 07:30 → Wed 2/12 17:00.
    expect(await row(2)).toMatchObject({ dueAt: '2026-12-02T10:00:00.000Z', source: 'computed' });
    expect((await row(1)).source).toBe('center');
    expect(await service.backfill()).toBe(0);
  });
});
