import { describe, expect, it } from 'vitest';
import { checkedDossier, checkedStep } from '../../adapters/portal/translate.js';
import type { DossierItem, ProgressItem } from '../../adapters/portal/wire.js';
import type { Status } from '../model/status.js';
import type { TimelineEntry } from '../ports/index.js';
import { fixture } from '../../tests/helpers/fixtures.js';
import { planPush as planWith, type PortalCall as Call } from './portal-plan.js';

/** The plan as the portal adapter's translation makes it. */
type PortalCall = Call<DossierItem, ProgressItem>;
const portal = { dossier: checkedDossier, step: checkedStep };
const planPush = (...args: Parameters<typeof planWith<DossierItem, ProgressItem>> extends [unknown, ...infer R] ? R : never) => planWith(portal, ...args);

const content = fixture('business-registration');
const ctx = { row: { code: content.code, content, results: [] }, departmentName: 'Sở Kế hoạch và Đầu tư', centerName: 'TTPVHCC' };
let clock = Date.parse('2026-11-28T03:00:00Z');
const e = (seq: number, type: string, status: Status, extra: Partial<TimelineEntry> = {}): TimelineEntry => ({
  seq,
  type,
  status,
  at: new Date((clock += 60_000)).toISOString(),
  actor: type === 'received' ? 'center:quay-1' : 'department:000.00.15.H63',
  note: null,
  detail: null,
  ...extra,
});
/** `dossier 2` / `steps 2,4` (the steps' TrangThai). */
const shape = (calls: PortalCall[]) =>
  calls.map((c) => (c.kind === 'dossier' ? `dossier ${c.item.TrangThaiHoSo}` : `steps ${c.items.map((i) => i.TrangThai).join(',')}`));

const timeline = [
  e(1, 'received', 'received'),
  e(2, 'delivery_attempt_failed', 'received'),
  e(3, 'delivered', 'processing'),
  e(4, 'supplement_sent', 'processing', { actor: 'center:quay-1', note: 'Bản sao CCCD' }),
  e(5, 'portal_rejected', 'processing', { actor: 'lienthong' }),
  e(6, 'status_changed', 'supplement_requested'),
  e(7, 'progress', 'supplement_requested', { note: 'Đã nhận thông báo' }),
  e(8, 'event_refused', 'supplement_requested'),
  e(9, 'status_changed', 'resolved'),
  e(10, 'returned', 'returned', { actor: 'center:quay-1', detail: { at: '2026-12-02T10:00:00+07:00' } }),
];

describe('what one push sends', () => {
  it('each status change as the dossier then its step, steps without a change batched, other entries left out', () => {
    const plan = planPush(ctx, timeline, { ackedSeq: 0, resync: false, known: false }, 10);
    if (!plan.ok) throw new Error(plan.problems.join());
    expect(shape(plan.calls)).toEqual(['dossier 2', 'steps 2', 'dossier 4', 'steps 4,4', 'dossier 5', 'steps 5,5', 'dossier 9', 'steps 9', 'dossier 10', 'steps 10']);
    expect(plan.upTo).toBe(10);
    const last = plan.calls.at(-2);
    expect(last?.kind === 'dossier' && last.item).toMatchObject({ TrangThaiHoSo: 10, NgayTra: '20261202100000' });
    expect(plan.calls.map((c) => (c.kind === 'progress' ? c.lastSeq : c.seq))).toEqual([1, 1, 3, 4, 6, 7, 9, 9, 10, 10]);
  });

  it('starts after what the portal acknowledged', () => {
    const plan = planPush(ctx, timeline, { ackedSeq: 7, resync: false, known: true }, 10);
    expect(plan.ok && shape(plan.calls)).toEqual(['dossier 9', 'steps 9', 'dossier 10', 'steps 10']);
    const nothing = planPush(ctx, timeline, { ackedSeq: 10, resync: false, known: true }, 10);
    expect(nothing).toEqual({ ok: true, calls: [], upTo: 10 });
  });

  it('a resync, or a dossier the portal lacks, starts with the whole dossier at the status it had', () => {
    const resync = planPush(ctx, timeline, { ackedSeq: 10, resync: true, known: true }, 10);
    expect(resync.ok && shape(resync.calls)).toEqual(['dossier 10']);
    const lost = planPush(ctx, timeline.slice(0, 7), { ackedSeq: 6, resync: false, known: false }, 10);
    expect(lost.ok && shape(lost.calls)).toEqual(['dossier 5', 'steps 5']);
  });

  it('batches at most `batch` steps a call', () => {
    const steps = [e(1, 'received', 'received'), ...Array.from({ length: 12 }, (_, i) => e(i + 2, 'progress', 'received', { note: `bước ${i}` }))];
    const plan = planPush(ctx, steps, { ackedSeq: 0, resync: false, known: false }, 10);
    expect(plan.ok && plan.calls.map((c) => (c.kind === 'progress' ? c.items.length : 'dossier'))).toEqual(['dossier', 10, 3]);
    const small = planPush(ctx, steps, { ackedSeq: 0, resync: false, known: false }, 4);
    expect(small.ok && small.calls.map((c) => (c.kind === 'progress' ? c.items.length : 'dossier'))).toEqual(['dossier', 4, 4, 4, 1]);
  });

  it('sends nothing when an object cannot be translated, naming each problem', () => {
    const broken = { ...ctx, row: { ...ctx.row, content: { ...content, dueAt: undefined } } };
    const plan = planPush(broken, timeline, { ackedSeq: 0, resync: false, known: false }, 10);
    expect(plan.ok).toBe(false);
    expect(!plan.ok && plan.problems).toEqual(['NgayHenTra: is required', 'progress step NgayKetThucTheoQuyDinh: is required']);
  });
});
