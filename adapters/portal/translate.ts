import { baseProcedureCode } from '../../core/model/codes.js';
import type { Dossier } from '../../core/model/dossier.js';
import { STATUS_CODES, STATUS_NAMES, type Status } from '../../core/model/status.js';
import { stepTime } from '../../core/model/portal-step.js';
import type { Checked, DossierRow, PortalSubject, TimelineEntry } from '../../core/ports/index.js';
import { dossierItem, progressItem, type DossierItem, type PortalDossier, type PortalStep, type ProgressItem } from './wire.js';

export { stepTime, type PortalDossier, type PortalStep };

/**
 * Canonical dossier and timeline → what the national portal is told, in our
 * own words (field names and formats are wire.ts's business): the dossier at a
 * given status, and one processing step per timeline entry meant for the portal.
 */

/** What translation needs besides the dossier: core's {@link PortalSubject}. */
export type TranslationContext = PortalSubject;

const STEP_LABELS: Record<string, string> = {
  received: 'Tiếp nhận hồ sơ',
  registered: 'Đăng ký hồ sơ trực tuyến',
  delivered: 'Chuyển hồ sơ đến đơn vị xử lý; đơn vị đã nhận hồ sơ',
  supplement_sent: 'Bổ sung giấy tờ theo yêu cầu',
  withdrawn: 'Công dân yêu cầu rút hồ sơ',
  returned: 'Trả kết quả cho người nộp hồ sơ',
  progress: 'Cập nhật tiến độ xử lý',
  deadline_changed: 'Điều chỉnh ngày hẹn trả kết quả',
  extended: 'Xin lỗi và hẹn lại ngày trả kết quả',
};

/** Why a due date moved, in the words the citizen reads. */
const DUE_REASONS: Record<string, string> = {
  supplement_restart: 'tính lại thời hạn từ khi nhận đủ hồ sơ bổ sung',
  supplement_pause: 'cộng thời gian chờ bổ sung hồ sơ',
  resumed: 'cộng thời gian tạm dừng',
};

const present = (s: string | undefined) => (s && s.trim() ? s : undefined);

/** The dossier at `status` (its status after some timeline entry); `returnedAt` once it is `returned`. */
export function portalDossier(ctx: TranslationContext, status: Status, returnedAt?: string): PortalDossier {
  const d = ctx.row.content;
  const finished = status === 'resolved' || status === 'returned';
  return {
    code: ctx.row.code,
    procedureCode: baseProcedureCode(d.procedure.code),
    procedureName: d.procedure.name,
    sectorName: present(d.procedure.sector),
    channel: d.channel,
    applicantName: d.applicant.name,
    applicantType: d.applicant.type,
    applicantId: present(d.applicant.idNumber),
    phone: present(d.applicant.phone),
    email: present(d.applicant.email),
    // Trích yếu: one-stop systems fall back to the procedure's name.
    summary: present(d.summary) ?? d.procedure.name,
    receivedAt: d.receivedAt,
    dueAt: ctx.row.dueAt ?? d.dueAt,
    status: STATUS_CODES[status],
    ...(status === 'returned' && returnedAt ? { returnedAt } : {}),
    department: ctx.departmentName,
    documents: d.documents.map((x) => ({ id: x.id, name: x.name, componentCode: present(x.componentCode), url: x.url })),
    fees: d.fees.map((f) => ({ code: f.code, name: f.name, amount: f.amount })),
    ...(finished ? { results: publicResults(ctx.row.results) } : {}),
  };
}

/**
 * Result documents with a link the portal can follow: the department's own
 * (`sourceUrl`, or `url` as given), when absolute. A result known only by the
 * gateway's own address (which needs an API key) is not listed: the field is
 * optional, and the status still reaches the portal.
 */
function publicResults(results: DossierRow['results'] | undefined): NonNullable<PortalDossier['results']> {
  return (Array.isArray(results) ? results : []).flatMap((r, i) => {
    const link = [(r as { sourceUrl?: unknown }).sourceUrl, r.url].find((u): u is string => typeof u === 'string' && /^https?:\/\//i.test(u));
    return link ? [{ id: r.id ?? `KQ${i + 1}`, name: r.name, url: link }] : [];
  });
}

/** Entries that report what the department did, whoever relayed them (its key, a poll, an admin). */
const DEPARTMENT_STEPS = new Set(['delivered', 'status_changed', 'progress']);

/** Who did it and in which unit, from the timeline's actor (`center:quay-1`, `department:<id>`, `lienthong`). */
function actor(ctx: TranslationContext, entry: Pick<TimelineEntry, 'actor' | 'type'>): { who: string; unit: string } {
  const [role, ...rest] = entry.actor.split(':');
  if (role === 'department' || DEPARTMENT_STEPS.has(entry.type)) return { who: ctx.departmentName, unit: ctx.departmentName };
  if (role === 'center') return { who: rest.join(':') || 'Cán bộ một cửa', unit: ctx.centerName };
  if (role === 'admin') return { who: 'Quản trị hệ thống', unit: ctx.centerName };
  return { who: 'Hệ thống liên thông', unit: ctx.centerName };
}

/** The due date a step reports (NgayKetThucTheoQuyDinh): the extension's new date, a moved due date's new value, else `dueAt`. */
function stepDue(entry: TimelineEntry, dueAt: string | undefined): string | undefined {
  const d = entry.detail ?? {};
  if (entry.type === 'extended' && typeof d.extendedTo === 'string') return d.extendedTo;
  if (entry.type === 'deadline_changed' && typeof d.to === 'string') return d.to;
  return dueAt;
}

/**
 * The processing step of `entry`; `startedAt` is when the previous step
 * ended (or the dossier was received); `dueAt` the due date in force at that
 * step (default: the dossier's current one).
 */
export function portalStep(ctx: TranslationContext, entry: TimelineEntry, startedAt: string, dueAt?: string): PortalStep {
  const label = STEP_LABELS[entry.type] ?? STATUS_NAMES[entry.status];
  const reason = entry.type === 'deadline_changed' ? DUE_REASONS[String(entry.detail?.reason)] : undefined;
  const note = entry.note ?? reason;
  return {
    code: ctx.row.code,
    ...actor(ctx, entry),
    at: stepTime(ctx, entry),
    what: note ? `${label}: ${note}` : label,
    status: STATUS_CODES[entry.status],
    startedAt,
    dueAt: stepDue(entry, dueAt ?? ctx.row.dueAt ?? ctx.row.content.dueAt),
  };
}

/** Translated and validated for the wire, or every problem named by its portal field. */
export const checkedDossier = (ctx: TranslationContext, status: Status, returnedAt?: string): Checked<DossierItem> =>
  dossierItem(portalDossier(ctx, status, returnedAt));

export const checkedStep = (ctx: TranslationContext, entry: TimelineEntry, startedAt: string, dueAt?: string): Checked<ProgressItem> =>
  progressItem(portalStep(ctx, entry, startedAt, dueAt));
